/**
 * Issue 31 on the real weapp build, in Simplified Chinese: a health authority's `test` warning over a
 * restaurant stay turns the code yellow, and the exposure page shows who asks what, the authority's
 * own sentence and the level's advice from the signed configuration — all in the phone's language.
 * The stay is checked in through the device services on the phone's own handset, and the warning
 * stored as a sync stores it (matched against the check-ins): a batch body carrying levels is task
 * 31a's, not on this branch.
 */
import { SimWorld } from '../../testkit/world';
import { DeviceCore } from '../../miniprogram/device/core';
import { DeviceStorage } from '../../miniprogram/services/storage';
import { t } from '../../miniprogram/i18n';
import { venueLinkFor } from '../helpers/venue-link';
import { fromHex, toHex } from '../../shared/protocol/codec';
import { sha256Bytes } from '../../shared/protocol/crypto';
import { DEFAULT_VENUE_RULES } from '../../shared/risk/venue-rules';
import { clockedStory, loadWeapp, waitFor, weappPhone } from '../helpers/weapp';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const story = clockedStory(T0);
const E = (h: number, m = 0) => Date.UTC(2026, 10, 20, h, m) / 600_000;

test('an authority’s “get tested” at a restaurant: yellow, with the level’s advice and the authority’s sentence in Simplified Chinese', async () => {
  const world = new SimWorld(T0);
  const b = weappPhone(world, story.server.url, { name: 'B', language: 'zh_CN' });
  const noodles = venueLinkFor('面馆', { seed: new Uint8Array(16).fill(7) });
  // B eats at the noodle bar 12:00–12:20 UTC
  const services = new DeviceCore(b.host, { backend: 'http', serverUrl: story.server.url, publicKey: '' });
  const stay = services.checkins.checkIn(services.checkins.inspect(noodles), 60).checkin;
  world.advance(20 * 60_000);
  story.setNow(world.timeMs);
  services.checkins.checkOut(stay.id);

  // the next day a sync finds the health authority's warning for 11:30–13:00, level `test`
  world.advance(Date.UTC(2026, 10, 21, 9) - world.timeMs);
  story.setNow(world.timeMs);
  const warning = {
    locationIdHash: sha256Bytes(fromHex(stay.locationId)),
    startEnin: E(11, 30),
    endEnin: E(13),
    level: 'test' as const,
    source: 'authority' as const,
    tel: '12320',
    text: { zh_CN: '请于三天内到社区检测点检测。', en: 'Get tested at a community test site within three days.' },
  };
  const venues = services.checkins
    .match([warning])
    .map((v) => ({ ...v, region: 0, warning: `${toHex(warning.locationIdHash)}/${warning.startEnin}/${warning.endEnin}` }));
  expect(venues).toHaveLength(1);
  new DeviceStorage(b.host).setJson('sync', {
    v: 3,
    chains: {},
    root: null,
    lastSyncAt: null,
    matches: { '0/1': { bluetooth: [], venues } },
  });

  const { renderPage } = loadWeapp(b);
  const exposure = renderPage('pages/exposure/index');
  await waitFor(() => exposure.querySelector('#reason-advice-0'), 'the level’s advice');
  expect(exposure.querySelector('#status')!.dom.textContent).toBe(t('zh_CN', 'yellow'));
  expect(exposure.querySelector('#reason-advice-0')!.dom.textContent).toBe(
    t('zh_CN', 'levelAdvice', { advice: DEFAULT_VENUE_RULES.levels.test.advice.zh_CN.now }),
  );
  expect(exposure.querySelector('#reason-authority-0')!.dom.textContent).toBe('请于三天内到社区检测点检测。');
  const reason = exposure.querySelector('#reason-0')!.dom.textContent!;
  expect(reason).toContain('卫生部门要求当时到过面馆的所有人进行检测。');
  expect(reason).toContain('卫生部门电话：12320。');
  expect(reason).not.toMatch(/[A-Za-z]{3,}/); // nothing English on a Chinese page
});
