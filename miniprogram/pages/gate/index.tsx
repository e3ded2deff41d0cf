import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Device } from '../../device';
import { age, t } from '../../i18n';
import { Frame } from '../../ui/frame';
import { clockText, statusShape, statusWord, timeText } from '../../ui/format';
import { PrivacyPopup } from '../../ui/privacy-popup';
import { useDevice, useTicker } from '../../ui/store';

type Verdict = Extract<Awaited<ReturnType<Device['gateScan']>>, { ok: true }>['value'];

/**
 * Gate mode: verify a visitor's health code offline and show the result. It says exactly what it
 * verified — the code is fresh, it names a genuine, recent key list — and what no gate can (§8): the
 * colour is the phone's own result. A clock with seconds and a moving bar make a replayed recording
 * or a still image of this screen easy to spot. Keeps no log.
 */
export default function Gate() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [result, setResult] = useState<{ verdict: Verdict; at: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useTicker(1000);
  const now = device.nowS();

  const scan = async () => {
    setResult(null);
    setError(null);
    const r = await device.gateScan();
    if (r.ok) setResult({ verdict: r.value, at: device.nowS() });
    else setError(r.text);
  };

  if (result) {
    const r = result.verdict;
    const valid = r.valid && r.status !== null;
    const cls = valid ? `status-${r.status}` : 'invalid';
    return (
      <Frame device={device} page='gate' className={`fullscreen ${cls}`} id='gate-screen'>
        <View
          id='verdict'
          aria-role='alert'
          aria-label={valid ? statusWord(lang, r.status!) : t(lang, 'gateInvalid')}
          onClick={() => {
            void scan();
          }}
        >
          <Text className='big' aria-hidden='true'>
            {valid ? statusShape(r.status!) : '✕'}
          </Text>
          <Text id='gate-status' className='big'>
            {valid ? statusWord(lang, r.status!) : t(lang, 'gateInvalid')}
          </Text>
          {/* a family member's code (issue 32): its place on the phone, nothing personal */}
          {valid && r.member && (
            <Text id='gate-member' className='reason'>
              {t(lang, 'gateMember', { k: r.member.index, n: r.member.count })}
            </Text>
          )}
        </View>
        {valid ? (
          <View id='gate-checked' className='verdict-card'>
            <Text className='reason'>{t(lang, 'gateChecked')}</Text>
            <Text id='gate-fresh' className='verdict-line'>
              {`✓ ${t(lang, 'gateCheckFresh', { s: Math.max(0, result.at - r.issuedAt!) })}`}
            </Text>
            <Text id='gate-list' className='verdict-line'>
              {`✓ ${t(lang, 'gateCheckList', { age: age(lang, Math.max(0, result.at - r.syncedAt!)) })}`}
            </Text>
            <Text id='gate-cannot' className='verdict-line'>
              {`⚠ ${t(lang, 'gateCannot')}`}
            </Text>
            <Text id='gate-code-time' className='verdict-line'>
              {t(lang, 'gateCodeTime', { time: timeText(lang, r.issuedAt!, now) })}
            </Text>
          </View>
        ) : (
          <View className='verdict-card'>
            {r.reasonTexts.map((text, k) => (
              <Text key={k} id={`gate-reason-${k}`} className='verdict-line'>
                {text}
              </Text>
            ))}
          </View>
        )}
        <View className='live' id='gate-live' aria-label={t(lang, 'gateLive')}>
          <Text id='gate-clock' className='clock'>{`${clockText(now)}:${String(new Date(now * 1000).getSeconds()).padStart(2, '0')}`}</Text>
          <View className='sweep' />
        </View>
        <Button
          id='scan'
          onClick={() => {
            void scan();
          }}
        >
          {t(lang, 'gateNext')}
        </Button>
      </Frame>
    );
  }
  return (
    <Frame device={device} page='gate'>
      <PrivacyPopup v={v} device={device} />
      <Text className='reason'>{t(lang, 'gateTitle')}</Text>
      <Button
        id='scan'
        className='primary'
        onClick={() => {
          void scan();
        }}
      >
        {t(lang, 'gateScan')}
      </Button>
      {error && (
        <Text id='gate-error' className='error' aria-live='polite'>
          {error}
        </Text>
      )}
      <Text className='muted'>{t(lang, 'gateNoLog')}</Text>
    </Frame>
  );
}
