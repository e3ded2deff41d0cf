import { Button, Image, Text, View } from '@tarojs/components';
import { t } from '../../i18n';
import { ageText, reasonText, statusHint, statusWord, timeText } from '../../ui/format';
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
  const syncAge = ageText(lang, now, v.lastSyncAt);
  return (
    <View className='page'>
      <PrivacyPopup v={v} device={device} />
      <View className={`status status-${v.status}`}>
        <Text id='status'>{statusWord(lang, v.status)}</Text>
      </View>
      <Text className='hint' id='status-hint'>
        {statusHint(lang, v.status)}
      </Text>
      <View className='card'>
        {qr ? (
          <Image id='qr' className='qr' src={qr} mode='aspectFit' />
        ) : (
          <Text id='qr-missing' className='muted'>
            {t(lang, 'needSyncForCode')}
          </Text>
        )}
        <Text id='last-sync' className='muted'>
          {syncAge ? t(lang, 'lastSync', { age: syncAge }) : t(lang, 'neverSynced')}
        </Text>
        {v.acceptedUntil !== null && (
          <Text id='accepted-until' className={v.expiresSoon ? 'error' : 'muted'}>
            {v.acceptedUntil <= now
              ? t(lang, 'expired')
              : t(lang, v.expiresSoon ? 'expiresSoon' : 'acceptedUntil', { time: timeText(v.acceptedUntil) })}
          </Text>
        )}
        {v.syncing && (
          <Text id='progress' className='info'>
            {t(lang, 'syncing', { done: v.progress?.done ?? 0, total: v.progress?.total ?? 0 })}
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
        <Text id='message' className={v.message.kind === 'error' ? 'error' : 'info'}>
          {v.message.text}
        </Text>
      )}
      {v.nextRetryAt !== null && !v.syncing && (
        <Text id='retry-at' className='muted'>
          {t(lang, 'retryAt', { time: timeText(v.nextRetryAt) })}
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
        <Text id='tracing-state'>{v.tracing ? t(lang, 'tracingOn') : t(lang, 'tracingOff')}</Text>
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
        <Button
          id='go-checkin'
          size='mini'
          onClick={() => {
            void device.navigate('checkin');
          }}
        >
          {t(lang, 'checkin')}
        </Button>
        <Button
          id='go-report'
          size='mini'
          onClick={() => {
            void device.navigate('report');
          }}
        >
          {t(lang, 'report')}
        </Button>
        <Button
          id='go-gate'
          size='mini'
          onClick={() => {
            void device.navigate('gate');
          }}
        >
          {t(lang, 'gate')}
        </Button>
        <Button
          id='go-settings'
          size='mini'
          onClick={() => {
            void device.navigate('settings');
          }}
        >
          {t(lang, 'settings')}
        </Button>
      </View>
      <Text className='muted'>
        {v.statusComputedAt !== null ? t(lang, 'statusAge', { age: ageText(lang, now, v.statusComputedAt)! }) : ''}
      </Text>
    </View>
  );
}
