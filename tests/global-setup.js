// Runs once before all jest projects: finds out whether MariaDB/MySQL is reachable, so suites can
// run against it or say clearly that they skip; makes the WeChat template compiler executable.
const { chmodSync, existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async () => {
  const wcc = join(__dirname, '../node_modules/miniprogram-compiler/bin/linux');
  for (const f of ['wcc', 'wcsc']) {
    const p = join(wcc, f);
    if (existsSync(p)) chmodSync(p, 0o755);
  }
  const url = process.env.PRTC_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';
  let reason = null;
  try {
    const mysql = require('mysql2/promise');
    const conn = await mysql.createConnection({ uri: url, connectTimeout: 2000 });
    await conn.query('SELECT 1');
    await conn.end();
  } catch (e) {
    reason = e && e.message ? e.message : String(e);
  }
  if (reason === null) {
    process.env.PRTC_MYSQL_URL = url;
    process.env.PRTC_MYSQL_AVAILABLE = '1';
  } else {
    process.env.PRTC_MYSQL_AVAILABLE = '0';
    if (process.env.PRTC_REQUIRE_MYSQL === '1')
      throw new Error(`MySQL is required (PRTC_REQUIRE_MYSQL=1) but ${url} is unreachable: ${reason}`);
    process.stderr.write(
      `\n*** MySQL/MariaDB at ${url} is unreachable (${reason}): the MySQL half of the server suites is SKIPPED. ***\n\n`,
    );
  }
};
