import { Text, View } from '@tarojs/components';
import { t, type StringKey } from '../../i18n';
import { Frame } from '../../ui/frame';
import { exposureText, statusShape, timeText } from '../../ui/format';
import { useDevice } from '../../ui/store';

/**
 * History: every exposure matching found in the last 14 days — also those too short or too far to
 * count (as coarse as the reasons: day, part of day, band) — every exposure check with how many
 * published keys it compared and how many matched here, and every upload. It stays on the phone and goes with "delete all".
 */
export default function History() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const now = device.nowS();
  const h = device.history();
  void v.lastSyncAt; // re-rendered after every sync
  return (
    <Frame device={device} page='history'>
      <Text className='muted'>{t(lang, 'historyIntro')}</Text>
      <View className='card' id='history-exposures'>
        <Text className='reason'>{t(lang, 'historyExposures')}</Text>
        {h.exposures.length === 0 && <Text className='muted'>{t(lang, 'historyNoExposures')}</Text>}
        {h.exposures.map((e, k) => (
          <Text key={k} id={`exposure-${k}`} className='reason'>
            {`${e.counts ? statusShape('yellow') : '·'} ${exposureText(lang, e)}`}
          </Text>
        ))}
      </View>
      <View className='card' id='history-syncs'>
        <Text className='reason'>{t(lang, 'historySyncs')}</Text>
        {h.syncs.length === 0 && <Text className='muted'>{t(lang, 'historyNoSyncs')}</Text>}
        {h.syncs.map((s, k) => (
          <Text key={k} id={`sync-${k}`} className='muted'>
            {s.ok
              ? // what each check compared and matched (issue 29); entries of earlier releases lack the counts
                s.batches > 0 && s.keys !== undefined
                ? t(lang, 'historySyncMatched', {
                    time: timeText(lang, s.at, now),
                    keys: s.keys,
                    matched: s.matchedKeys ?? 0,
                    venues: s.matchedVenues ?? 0,
                  })
                : t(lang, s.batches > 0 ? 'historySyncOk' : 'historySyncNone', { time: timeText(lang, s.at, now), n: s.batches })
              : t(lang, 'historySyncFailed', { time: timeText(lang, s.at, now), why: t(lang, `why_${s.why ?? 'server'}` as StringKey) })}
          </Text>
        ))}
      </View>
      <View className='card' id='history-uploads'>
        <Text className='reason'>{t(lang, 'historyUploads')}</Text>
        {h.uploads.length === 0 && <Text className='muted'>{t(lang, 'historyNoUploads')}</Text>}
        {h.uploads.map((u, k) => (
          <Text key={k} id={`upload-${k}`} className='muted'>
            {t(lang, 'historyUpload', { time: timeText(lang, u.at, now), n: u.keys, c: u.checkins })}
          </Text>
        ))}
      </View>
    </Frame>
  );
}
