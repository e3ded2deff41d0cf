// Preloaded (node --require) into Taro's plug-in build by tools/build/taro.ts, which says why: Taro
// copies <cwd>/src/plugin/doc without awaiting the copy, and the ENOENT of a missing src/plugin/doc
// is an unhandled rejection after the build has written everything. That one rejection is reported
// and ignored; any other ends the process as Node's default mode would (message, exit status 1).
const { join } = require('node:path');

const DOC = join(process.cwd(), 'src/plugin/doc');

process.on('unhandledRejection', (reason) => {
  if (reason && reason.code === 'ENOENT' && reason.path === DOC) {
    process.stderr.write(`taro: no ${DOC} for the plug-in's documentation (this repository keeps none): not copied\n`);
    return;
  }
  process.stderr.write(`unhandled rejection: ${reason && reason.stack ? reason.stack : String(reason)}\n`);
  process.exit(1);
});
