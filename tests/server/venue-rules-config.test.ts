/**
 * Issue 31: the server publishes the signed configuration's `venueWarnings` section (thresholds per
 * venue type, levels) as it came, signed like the rest, and keeps it through a later publication that
 * changes only the advice (what the portal's advice form does: the rest as in force).
 */
import { fromBase64url } from '../../shared/protocol/codec';
import { configMessage, verify } from '../../shared/protocol/signing';
import { DEFAULT_CONFIG_V2, parseRiskConfigV2 } from '../../shared/risk/config-v2';
import { DEFAULT_VENUE_RULES, type VenueRules } from '../../shared/risk/venue-rules';
import { PrtcError } from '../../shared/errors';
import { call, startTestServer, type TestServer } from '../helpers/server';

let s: TestServer;
afterEach(async () => {
  await s?.stop();
});

async function servedV2(): Promise<string> {
  const pk = fromBase64url((await call(s.url, 'GET', '/v1/public-key')).body.key, 32);
  const r = await call(s.url, 'GET', '/v1/config?v=2');
  expect(verify(fromBase64url(r.body.signature, 64), configMessage(r.body.configJson), pk)).toBe(true);
  return r.body.configJson as string;
}

test('venue warning rules: checked, published signed, kept when only the advice changes', async () => {
  s = await startTestServer('sqlite');
  // before: the default document carries no section (the phone uses the build's rules)
  expect(parseRiskConfigV2(await servedV2()).venueWarnings).toBeUndefined();

  const rules: VenueRules = JSON.parse(JSON.stringify(DEFAULT_VENUE_RULES));
  rules.thresholds[7] = 2; // events: 2
  const svc = s.services.riskConfig;
  const { config } = svc.check(JSON.stringify({ ...JSON.parse(await servedV2()), serial: undefined, venueWarnings: rules }));
  await svc.publish(config, null);
  const first = parseRiskConfigV2(await servedV2());
  expect(first.venueWarnings?.thresholds).toEqual([1, 1, 1, 1, 1, 1, 3, 2, 1]);

  const advice = JSON.parse(JSON.stringify(first.advice));
  advice.yellow.en.now = 'Get tested today.';
  await svc.publish({ ...(await svc.current()), advice }, null);
  const second = parseRiskConfigV2(await servedV2());
  expect(second.serial).toBe(first.serial + 1);
  expect(second.advice.yellow.en.now).toBe('Get tested today.');
  expect(second.venueWarnings).toEqual(first.venueWarnings);

  // a bad section is refused before anything is published
  rules.thresholds[6] = 0;
  expect(() => svc.check(JSON.stringify({ ...DEFAULT_CONFIG_V2, venueWarnings: rules }))).toThrow(PrtcError);
  expect(parseRiskConfigV2(await servedV2()).serial).toBe(second.serial);
});
