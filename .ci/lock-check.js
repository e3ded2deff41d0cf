#!/usr/bin/env node
// Usage: node .ci/lock-check.js <lockfile before npm install> <lockfile after>
//
// Passes when `npm install` installed exactly what the lockfile locked: every package of the old
// lockfile is still there with the same version and integrity. The one change it accepts is npm
// adding optional packages (other platforms' native bindings) that the registry did not serve when
// the lockfile was written and serves now; anything else — a changed version, a removed package, a
// new required package — means the lockfile is stale, and the script says which and exits 1.
'use strict';
const { readFileSync } = require('node:fs');

const [beforePath, afterPath] = process.argv.slice(2);
if (!beforePath || !afterPath) {
  console.error('usage: node .ci/lock-check.js <before> <after>');
  process.exit(2);
}
const before = JSON.parse(readFileSync(beforePath, 'utf8')).packages || {};
const after = JSON.parse(readFileSync(afterPath, 'utf8')).packages || {};

const problems = [];
const added = [];
for (const [path, old] of Object.entries(before)) {
  const now = after[path];
  if (!now) problems.push(`removed: ${path || '(root)'}`);
  else if (old.version !== now.version || old.integrity !== now.integrity) {
    problems.push(`changed: ${path || '(root)'} ${old.version} -> ${now.version}`);
  }
}
for (const [path, now] of Object.entries(after)) {
  if (before[path]) continue;
  if (now.optional === true) added.push(path);
  else problems.push(`added (not optional): ${path}`);
}
if (added.length > 0) {
  console.log(`== npm added ${added.length} optional package(s) the registry now serves (other platforms' bindings):`);
  for (const p of added) console.log(`   ${p}`);
}
if (problems.length > 0) {
  console.error('!! npm install changed what package-lock.json locks: the lockfile is stale');
  for (const p of problems) console.error(`   ${p}`);
  process.exit(1);
}
console.log('== the installed tree is the locked one');
