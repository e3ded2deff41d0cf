import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCipheriv, hkdfSync } from 'node:crypto';
import { runTool } from '../helpers/run-tool';

const prtc = (args: string[], input?: string) => runTool('tools/prtc.ts', args, { input });

describe('prtc CLI', () => {
  test('rpi --profile gaen reproduces all 144 published vectors with their aems', () => {
    const lines = readFileSync(join(__dirname, '../fixtures/gaen-vectors.txt'), 'utf8')
      .split('\n')
      .filter((l) => /^[0-9a-f]{32} [0-9a-f]{8}$/.test(l));
    const r = prtc([
      'rpi',
      '--profile',
      'gaen',
      '--key',
      '75c734c6dd1a782de7a965da5eb93125',
      '--enin',
      '2642976',
      '--count',
      '144',
      '--metadata',
      '40080000',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(lines.map((l, k) => `${2642976 + k} ${l}`));
  });

  test('aemk and a prtc rpi agree with Node crypto', () => {
    const tek = '11'.repeat(32);
    const r = prtc(['aemk', '--tek', tek, '--day', '2955456']);
    const info = Buffer.concat([Buffer.from('PrTC'), Buffer.from([0xc0, 0x18, 0x2d, 0x00])]); // LE32(2955456)
    const aemk = Buffer.from(hkdfSync('sha256', Buffer.from(tek, 'hex'), Buffer.alloc(0), info, 32));
    expect(r.stdout.trim()).toBe(aemk.toString('hex'));
    const r2 = prtc(['rpi', '--key', aemk.toString('hex'), '--enin', '2955599']);
    const block = Buffer.alloc(16);
    block.write('PrTC-RPI');
    block.writeUInt32LE(2955599, 12);
    const c = createCipheriv('aes-128-ecb', aemk.subarray(0, 16), null);
    c.setAutoPadding(false);
    expect(r2.stdout.trim()).toBe(`2955599 ${c.update(block).toString('hex')}`);
  });

  test('frame encode → decode round trip through JSON', () => {
    const enc = prtc(['frame', 'encode'], JSON.stringify({ frame: 'M', rpi: 'aa'.repeat(16), aem: '01020304' }));
    expect(enc.code).toBe(0);
    const req = JSON.parse(enc.stdout);
    expect(req.manufacturerData[0]).toEqual({
      manufacturerId: '0xFFFF',
      manufacturerSpecificData: '505401' + 'aa'.repeat(16) + '01020304',
    });
    const dec = prtc(['frame', 'decode', JSON.stringify({ advertisData: req.manufacturerData[0].manufacturerSpecificData, RSSI: -58 })]);
    expect(JSON.parse(dec.stdout)).toEqual({ frame: 'M', rpi: 'aa'.repeat(16), aem: '01020304', rssi: -58 });
    // not a PrTC advertisement: a negative answer (exit 1), not a usage error
    const foreign = prtc(['frame', 'decode', '-'], '{"advertisData":"00","RSSI":-50}\n');
    expect([foreign.code, foreign.stderr]).toEqual([1, 'prtc: not a PrTC advertisement (frame S, M or U)\n']);
  });

  test('help at every level, --version, help and -h; every command that prints data takes --json', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = prtc(args);
      expect([args, r.code]).toEqual([args, 0]);
      expect(r.stdout).toMatch(/^Usage: prtc \[options\] \[command\]/);
      for (const cmd of ['rpi', 'aemk', 'frame', 'diagnosis-keys', 'batch', 'venue-create', 'venue', 'gate'])
        expect(r.stdout).toContain(`  ${cmd}`);
      expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 a negative result/);
    }
    expect(prtc(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version);
    for (const cmd of ['rpi', 'aemk', 'frame', 'diagnosis-keys', 'batch', 'venue-create', 'venue', 'gate']) {
      for (const h of [
        [cmd, '--help'],
        ['help', cmd],
      ]) {
        const r = prtc(h);
        expect([h, r.code]).toEqual([h, 0]);
        expect(r.stdout).toMatch(new RegExp(`^Usage: prtc ${cmd} `));
        expect(r.stdout).toContain('--json');
      }
    }
    const j = prtc(['aemk', '--tek', '11'.repeat(32), '--day', '2955456', '--json']);
    expect(Object.keys(JSON.parse(j.stdout))).toEqual(['aemk']);
    const rpis = JSON.parse(prtc(['rpi', '--key', '00'.repeat(32), '--enin', '10', '--count', '2', '--json']).stdout);
    expect(rpis.map((r: { enin: number }) => r.enin)).toEqual([10, 11]);
  });

  test.each([
    [['rpi', '--profile', 'gaen', '--key', 'zz', '--enin', '1']],
    [['rpi', '--profile', 'xyz', '--key', '00', '--enin', '1']],
    [['rpi', '--key', '00'.repeat(32)]],
    [['rpi', '--key', '00'.repeat(32), '--enin', '-5']],
    [['aemk', '--tek', '00'.repeat(32), '--day', '145']],
    [['aemk', '--tek', '00', '--day', '144']],
    [['frame', 'decode', '{not json']],
    [['frame', 'encode', '{"frame":"M","rpi":"00"}']],
    [['nope']],
    [['rpi', '--bogus']],
  ])('bad arguments %j: one line on stderr, exit 2, no stack trace', (args) => {
    const r = prtc(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^prtc: /);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
