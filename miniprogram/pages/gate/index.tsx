import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { GateResult } from '../../../shared/healthcode';
import { HostError } from '../../host/errors';
import { statusWord } from '../../format';
import { t, type StringKey } from '../../i18n';
import { useDevice } from '../../store';

/** Gate mode: verify a visitor's health code offline and show it full-screen. Keeps no log. */
export default function Gate() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [result, setResult] = useState<GateResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const scan = async () => {
    setResult(null);
    setError(null);
    try {
      setResult(await device.gateScan());
    } catch (e) {
      if (e instanceof HostError) { if (e.code !== 'cancelled') setError(e.text(lang)); }
      else setError((e as Error).message);
    }
  };

  if (result) {
    const cls = result.valid && result.status ? `status-${result.status}` : 'invalid';
    return (
      <View className={`fullscreen ${cls}`} id='verdict' onClick={() => { void scan(); }}>
        <Text id='gate-status' className='big'>{result.valid && result.status ? statusWord(lang, result.status) : t(lang, 'gateInvalid')}</Text>
        {result.reasons.map((r, k) => <Text key={k} id={`gate-reason-${k}`} className='hint'>{t(lang, `gr_${r.code}` as StringKey)}</Text>)}
        <Button id='scan' onClick={() => { void scan(); }}>{t(lang, 'gateNext')}</Button>
      </View>
    );
  }
  return (
    <View className='page'>
      <Text className='reason'>{t(lang, 'gateTitle')}</Text>
      <Button id='scan' type='primary' onClick={() => { void scan(); }}>{t(lang, 'gateScan')}</Button>
      {error && <Text id='gate-error' className='error'>{error}</Text>}
      <Text className='muted'>{t(lang, 'gateNoLog')}</Text>
    </View>
  );
}
