/** `npm start`: the key server. Configuration from the environment (see server/config.ts and the README). */
import { pinoLogger } from './log';
import { startServer, type RunningServer } from './runtime';

const log = pinoLogger();

let server: RunningServer | null = null;
let stopping = false;

/** Answers what is in flight (with `Connection: close`), closes the database, exits with `code`. */
function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(code || 1), 10000);
  force.unref();
  (server ? server.close() : Promise.resolve()).then(
    () => process.exit(code),
    () => process.exit(code || 1),
  );
}

async function main() {
  server = await startServer(
    {},
    {
      log,
      // the database file vanished under the server: nothing it writes can be kept. The requests
      // in flight are answered 503, then the process exits so that a supervisor restarts it (and
      // the restart refuses to fork the chain: see server/domains/publishing/head-record.ts).
      onFatal: (reason) => {
        log.fatal(`fatal: ${reason}; exiting so that a supervisor restarts it`);
        stop(70);
      },
    },
  );
  log.info(`PrTC server listening on ${server.url} (database: ${server.database.kind}, data: ${server.config.dataDir})`, {
    url: server.url,
    database: server.database.kind,
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (!stopping) log.info(`${signal}: finishing in-flight requests and closing the database`, { signal });
      stop(0);
    });
  }
}

main().catch((e) => {
  log.fatal(`could not start: ${(e as Error).message}`);
  process.exit(1);
});
