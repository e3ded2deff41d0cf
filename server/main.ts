/** `npm start`: the key server. Configuration from the environment (see server/config.ts and the README). */
import { startServer } from './runtime';

async function main() {
  const s = await startServer(
    {},
    {
      // the database file vanished under the server: nothing it writes can be kept; a supervisor restarts it
      onFatal: (reason) => {
        process.stderr.write(`server: fatal: ${reason}; exiting so that a supervisor restarts it\n`);
        process.exit(70);
      },
    },
  );
  process.stdout.write(`PrTC server listening on ${s.url} (database: ${s.database.kind}, data: ${s.config.dataDir})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight requests and closing the database\n`);
    const force = setTimeout(() => process.exit(1), 10000);
    force.unref();
    s.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`server: could not start: ${(e as Error).message}\n`);
  process.exit(1);
});
