import { Button, Image, Text, View } from '@tarojs/components';
import { t } from '../../i18n';
import { ageText, reasonText, statusHint, statusWord } from '../../ui/format';
import { useDidHide, useDidShow } from '../../ui/lifecycle';
import { useHealthCodeQr } from '../../ui/health-code';
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
        {v.bluetoothError && (
          <Text id='bt-error' className='error'>
            {v.bluetoothError}
          </Text>
        )}
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
