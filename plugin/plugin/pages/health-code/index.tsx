import { Image, Text, View } from '@tarojs/components';
import { useEffect } from 'react';
import { t } from '../../../../miniprogram/i18n';
import { useHealthCodeQr } from '../../../../miniprogram/ui/health-code';
import { UntilOnCode } from '../../../../miniprogram/ui/status-card';
import { useDevice } from '../../../../miniprogram/ui/store';
import '../../../../miniprogram/app.css';

/**
 * The plug-in's page (plugin://prtc/health-code): the phone's status and the health code a gate
 * scans, made by the same device as the mini-program's own home page.
 */
export default function PluginHealthCode() {
  const [v, device] = useDevice();
  useEffect(() => {
    void device.start();
    void device.showingHealthCode(true);
    return () => void device.showingHealthCode(false);
  }, [device]);
  const qr = useHealthCodeQr(device, v);
  const lang = v.lang;
  return (
    <View className={`page status-${v.status}`}>
      <Text id='status' className='status-word'>
        {t(lang, v.status)}
      </Text>
      {qr ? (
        <>
          <Image id='qr' className='qr' src={qr} />
          {v.status !== 'green' && (
            <View className='card'>
              <UntilOnCode v={v} now={device.nowS()} />
            </View>
          )}
        </>
      ) : (
        <Text id='qr-missing' className='muted'>
          {t(lang, 'needSyncForCode')}
        </Text>
      )}
    </View>
  );
}
