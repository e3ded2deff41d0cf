import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { t } from '../../i18n';
import { useDevice } from '../../ui/store';

export default function Report() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [code, setCode] = useState('');
  const [leaveOut, setLeaveOut] = useState<number[]>([]);
  const [withCheckins, setWithCheckins] = useState(true);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const days = v.ready ? device.reportPlan() : [];
  const checkins = device.reportCheckinCount();
  const toggle = (i: number) => setLeaveOut((l) => (l.includes(i) ? l.filter((x) => x !== i) : [...l, i]));
  const upload = async () => {
    setBusy(true);
    setResult(null);
    const r = await device.upload(code, leaveOut, withCheckins && checkins > 0);
    setBusy(false);
    setResult(r);
    if (r.ok) {
      setCode('');
      setLeaveOut([]);
    }
  };
  return (
    <View className='page'>
      <View className='card'>
        <Text className='reason'>{t(lang, 'reportTitle')}</Text>
        <Text className='muted'>{t(lang, 'reportIntro')}</Text>
        <Input id='code' value={code} maxlength={16} placeholder={t(lang, 'codePlaceholder')} onInput={(e) => setCode(e.detail.value)} />
      </View>
      <View className='card'>
        <Text className='muted'>{t(lang, 'daysToUpload')}</Text>
        <View id='days'>
          {days.map((d) => (
            <View key={d.i} id={`day-${d.i}`} className={leaveOut.includes(d.i) ? 'day day-out' : 'day'} onClick={() => toggle(d.i)}>
              <Text>
                {d.date}
                {leaveOut.includes(d.i) ? ` (${t(lang, 'leftOut')})` : ''}
              </Text>
            </View>
          ))}
        </View>
        {checkins > 0 && (
          <View id='include-checkins' className={withCheckins ? 'day' : 'day day-out'} onClick={() => setWithCheckins(!withCheckins)}>
            <Text>{t(lang, 'includeCheckins', { n: checkins })}</Text>
          </View>
        )}
      </View>
      <Button
        id='upload'
        type='primary'
        disabled={busy || code.trim() === ''}
        onClick={() => {
          void upload();
        }}
      >
        {busy ? t(lang, 'uploading') : t(lang, 'confirmUpload')}
      </Button>
      {result && (
        <Text id='result' className={result.ok ? 'info' : 'error'}>
          {result.text}
        </Text>
      )}
    </View>
  );
}
