import { Button, Image, Text, View } from '@tarojs/components';
import { t } from '../../i18n';
import { Frame } from '../../ui/frame';
import { reasonText, sinceText, statusHint, statusLabel, statusShape, statusWord, timeText } from '../../ui/format';
import { useDidHide, useDidShow } from '../../ui/lifecycle';
import { useHealthCodeQr } from '../../ui/health-code';
import { PrivacyPopup, ProblemCard } from '../../ui/privacy-popup';
import { useDevice } from '../../ui/store';

export default function Home() {
  const [v, device] = useDevice();
  useDidShow(() => {
    void device.showingHealthCode(true);
  });
  useDidHide(() => {
    void device.showingHealthCode(false);
  });
  const lang = v.lang;
  const now = device.nowS();
  const qr = useHealthCodeQr(device, v);
  const lastSync = sinceText(lang, now, v.lastSyncAt, 'lastSync', 'lastSyncJustNow');
  const progress =
    v.progress && v.progress.total > 0 ? t(lang, 'syncing', { done: v.progress.done, total: v.progress.total }) : t(lang, 'syncingStart');
  return (
    <Frame device={device} page='home'>
      <PrivacyPopup v={v} device={device} />
      <View className={`status status-${v.status}`} id='status-block' aria-role='heading' aria-label={statusLabel(lang, v.status)}>
        <Text className='shape' aria-hidden='true'>
          {statusShape(v.status)}
        </Text>
        <Text id='status'>{statusWord(lang, v.status)}</Text>
      </View>
      <Text className='hint' id='status-hint'>
        {statusHint(lang, v.status)}
      </Text>
      <View className='card'>
        {qr ? (
          <Image
            id='qr'
            className='qr'
            src={qr}
            mode='aspectFit'
            aria-role='img'
            aria-label={t(lang, 'qrA11y', { status: statusWord(lang, v.status) })}
          />
        ) : (
          <Text id='qr-missing' className='muted'>
            {v.lastSyncAt !== null && !v.hasCheckpoint ? t(lang, 'noBatchesYet') : t(lang, 'needSyncForCode')}
          </Text>
        )}
        <Text id='last-sync' className='muted'>
          {lastSync ?? t(lang, 'neverSynced')}
        </Text>
        {v.acceptedUntil !== null && (
          <Text id='accepted-until' className={v.expiresSoon ? 'error' : 'muted'}>
            {v.acceptedUntil <= now
              ? t(lang, 'expired')
              : t(lang, v.expiresSoon ? 'expiresSoon' : 'acceptedUntil', { time: timeText(lang, v.acceptedUntil, now) })}
          </Text>
        )}
        {v.syncing && (
          <Text id='progress' className='info' aria-live='polite'>
            {progress}
          </Text>
        )}
        <Button
          id='sync'
          disabled={v.syncing}
          onClick={() => {
            void device.runSync();
          }}
        >
          {t(lang, 'syncNow')}
        </Button>
      </View>
      {v.message && (
        <Text id='message' className={v.message.kind === 'error' ? 'error' : 'info'} aria-live='polite'>
          {v.message.text}
        </Text>
      )}
      {v.nextRetryAt !== null && !v.syncing && (
        <Text id='retry-at' className='muted'>
          {t(lang, 'retryAt', { time: timeText(lang, v.nextRetryAt, now) })}
        </Text>
      )}
      {v.damage.map((text, k) => (
        <Text key={k} id={`damage-${k}`} className='error'>
          {text}
        </Text>
      ))}
      <View className='card'>
        <Text className='reason'>{t(lang, 'reasons')}</Text>
        <View id='reasons'>
          {v.reasons.length === 0 ? (
            <Text className='muted'>{t(lang, 'noReasons')}</Text>
          ) : (
            v.reasons.slice(0, 3).map((r, k) => (
              <Text key={k} className='reason'>
                {reasonText(lang, r)}
              </Text>
            ))
          )}
        </View>
        {v.reasons.length > 0 && (
          <Button
            id='go-exposure'
            size='mini'
            onClick={() => {
              void device.navigate('exposure');
            }}
          >
            {t(lang, 'details')}
          </Button>
        )}
      </View>
      <View className='card'>
        <Text id='tracing-state'>{v.tracing ? t(lang, v.broadcasting ? 'tracingOn' : 'listeningOnly') : t(lang, 'tracingOff')}</Text>
        <Text className='muted'>{t(lang, 'foregroundOnly')}</Text>
        {v.tracing && (
          <Text id='encounters' className='muted'>
            {t(lang, 'encounters', { n: v.encounters })}
          </Text>
        )}
        <ProblemCard v={v} device={device} />
        <Button
          id='tracing-toggle'
          onClick={() => {
            void (v.tracing ? device.stopTracing() : device.startTracing());
          }}
        >
          {v.tracing ? t(lang, 'stopTracing') : t(lang, 'startTracing')}
        </Button>
      </View>
      <View className='row'>
        {(['checkin', 'report', 'gate', 'history', 'settings'] as const).map((page) => (
          <Button
            key={page}
            id={`go-${page}`}
            size='mini'
            onClick={() => {
              void device.navigate(page);
            }}
          >
            {t(lang, page === 'history' ? 'history' : page)}
          </Button>
        ))}
      </View>
      {v.lastSyncAt !== null && v.statusComputedAt !== null && (
        <Text id='status-age' className='muted'>
          {sinceText(lang, now, v.statusComputedAt, 'statusAge', 'statusAgeJustNow')}
        </Text>
      )}
    </Frame>
  );
}
