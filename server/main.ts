/** `npm start`: the key server. Configuration from the environment (see server/config.ts and the README). */
import { startServer, type RunningServer } from './runtime';

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
      // the database file vanished under the server: nothing it writes can be kept. The requests
      // in flight are answered 503, then the process exits so that a supervisor restarts it (and
      // the restart refuses to fork the chain: see server/domains/publishing/head-record.ts).
      onFatal: (reason) => {
        process.stderr.write(`server: fatal: ${reason}; exiting so that a supervisor restarts it\n`);
        stop(70);
      },
    },
  );
  process.stdout.write(`PrTC server listening on ${server.url} (database: ${server.database.kind}, data: ${server.config.dataDir})\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (!stopping) process.stdout.write(`${signal}: finishing in-flight requests and closing the database\n`);
      stop(0);
    });
  }
}

main().catch((e) => {
  process.stderr.write(`server: could not start: ${(e as Error).message}\n`);
  process.exit(1);
});
