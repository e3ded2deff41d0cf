import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Device } from '../../device/device';
import { t } from '../../i18n';
import { statusWord } from '../../ui/format';
import { PrivacyPopup } from '../../ui/privacy-popup';
import { useDevice } from '../../ui/store';

type Verdict = Extract<Awaited<ReturnType<Device['gateScan']>>, { ok: true }>['value'];

/** Gate mode: verify a visitor's health code offline and show it full-screen. Keeps no log. */
export default function Gate() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [result, setResult] = useState<Verdict | null>(null);
  const [error, setError] = useState<string | null>(null);

  const scan = async () => {
    setResult(null);
    setError(null);
    const r = await device.gateScan();
    if (r.ok) setResult(r.value);
    else setError(r.text);
  };

  if (result) {
    const cls = result.valid && result.status ? `status-${result.status}` : 'invalid';
    return (
      <View
        className={`fullscreen ${cls}`}
        id='verdict'
        onClick={() => {
          void scan();
        }}
      >
        <Text id='gate-status' className='big'>
          {result.valid && result.status ? statusWord(lang, result.status) : t(lang, 'gateInvalid')}
        </Text>
        {result.reasonTexts.map((text, k) => (
          <Text key={k} id={`gate-reason-${k}`} className='hint'>
            {text}
          </Text>
        ))}
        <Button
          id='scan'
          onClick={() => {
            void scan();
          }}
        >
          {t(lang, 'gateNext')}
        </Button>
      </View>
    );
  }
  return (
    <View className='page'>
      <PrivacyPopup v={v} device={device} />
      <Text className='reason'>{t(lang, 'gateTitle')}</Text>
      <Button
        id='scan'
        type='primary'
        onClick={() => {
          void scan();
        }}
      >
        {t(lang, 'gateScan')}
      </Button>
      {error && (
        <Text id='gate-error' className='error'>
          {error}
        </Text>
      )}
      <Text className='muted'>{t(lang, 'gateNoLog')}</Text>
    </View>
  );
}
