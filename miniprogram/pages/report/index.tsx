import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { t } from '../../i18n';
import { Frame } from '../../ui/frame';
import { FeatureNote } from '../../ui/feature-note';
import { useLoad } from '../../ui/lifecycle';
import { RegionPicker } from '../../ui/region-picker';
import { useDevice } from '../../ui/store';

/** An upload names at most this many regions (§15). */
const MAX_REGIONS = 8;

/**
 * Reporting a positive test. Opened from the home page, or directly by a link `https://<host>/u#<code>`
 * (§10) — WeChat's own scanner passes the scanned link as `q` (decoded once, as
 * developers.weixin.qq.com/miniprogram/introduction/qrcode.html says) — with the code filled in.
 */
export default function Report() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [code, setCode] = useState('');
  const [fromLink, setFromLink] = useState(false);
  const [leaveOut, setLeaveOut] = useState<number[]>([]);
  const [withCheckins, setWithCheckins] = useState(true);
  // §15: the regions of the upload — home and the venues' regions, pre-filled; the user leaves some out or adds
  const [added, setAdded] = useState<{ code: number; name: string }[]>([]);
  const [regionsOut, setRegionsOut] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string | null } | null>(null);
  useLoad((query: Record<string, string | undefined>) => {
    const link = query.q ? decodeURIComponent(query.q) : null;
    const found = link ? device.codeFromLink(link) : null;
    if (found) {
      setCode(found);
      setFromLink(true);
    }
  });
  const days = v.ready ? device.reportPlan() : [];
  const checkins = device.reportCheckinCount();
  const toggle = (i: number) => setLeaveOut((l) => (l.includes(i) ? l.filter((x) => x !== i) : [...l, i]));
  const prefilled = v.ready ? device.uploadRegions() : [];
  const regions = [...prefilled, ...added.filter((a) => !prefilled.some((p) => p.code === a.code))];
  const named = regions.filter((r) => !regionsOut.includes(r.code)).map((r) => r.code);
  const toggleRegion = (c: number) => setRegionsOut((l) => (l.includes(c) ? l.filter((x) => x !== c) : [...l, c]));
  const upload = async () => {
    setBusy(true);
    setResult(null);
    const r = await device.upload(code, leaveOut, withCheckins && checkins > 0, named);
    setBusy(false);
    setResult(r);
    if (r.ok) {
      setCode('');
      setFromLink(false);
      setLeaveOut([]);
      setAdded([]);
      setRegionsOut([]);
    }
  };
  return (
    <Frame device={device} page='report'>
      <View className='card'>
        <Text className='reason'>{t(lang, 'reportTitle')}</Text>
        <Text className='muted'>{t(lang, 'reportIntro')}</Text>
        <FeatureNote v={v} feature='keys' />
        <Input
          id='code'
          value={code}
          maxlength={16}
          placeholder={t(lang, 'codePlaceholder')}
          aria-label={t(lang, 'codePlaceholder')}
          onInput={(e) => {
            setCode(e.detail.value);
            setFromLink(false);
          }}
        />
        {fromLink && (
          <Text id='code-from-link' className='info'>
            {t(lang, 'codeFromLink')}
          </Text>
        )}
      </View>
      <View className='card'>
        <Text className='muted'>{t(lang, 'daysToUpload')}</Text>
        <View id='days'>
          {days.map((d) => (
            <View
              key={d.i}
              id={`day-${d.i}`}
              className={leaveOut.includes(d.i) ? 'day day-out' : 'day'}
              aria-role='checkbox'
              aria-checked={!leaveOut.includes(d.i)}
              onClick={() => toggle(d.i)}
            >
              <Text>
                {leaveOut.includes(d.i) ? '☐ ' : '☑ '}
                {d.date}
                {leaveOut.includes(d.i) ? ` (${t(lang, 'leftOut')})` : ''}
              </Text>
            </View>
          ))}
        </View>
        {checkins > 0 && (
          <View
            id='include-checkins'
            className={withCheckins ? 'day' : 'day day-out'}
            aria-role='checkbox'
            aria-checked={withCheckins}
            onClick={() => setWithCheckins(!withCheckins)}
          >
            <Text>
              {withCheckins ? '☑ ' : '☐ '}
              {t(lang, 'includeCheckins', { n: checkins })}
            </Text>
          </View>
        )}
      </View>
      <View className='card'>
        <Text className='muted'>{t(lang, 'uploadRegions')}</Text>
        <View id='upload-regions'>
          {regions.map((r) => (
            <View
              key={r.code}
              id={`region-${r.code}`}
              className={regionsOut.includes(r.code) ? 'day day-out' : 'day'}
              aria-role='checkbox'
              aria-checked={!regionsOut.includes(r.code)}
              onClick={() => toggleRegion(r.code)}
            >
              <Text>
                {regionsOut.includes(r.code) ? '☐ ' : '☑ '}
                {r.name}
                {regionsOut.includes(r.code) ? ` (${t(lang, 'leftOut')})` : ''}
              </Text>
            </View>
          ))}
        </View>
        {named.length === 0 && (
          <Text id='upload-regions-none' className='muted'>
            {t(lang, 'uploadRegionsNone')}
          </Text>
        )}
        {named.length < MAX_REGIONS ? (
          <RegionPicker
            device={device}
            lang={lang}
            id='add-region'
            label='addRegion'
            onPick={(c) => {
              setRegionsOut((l) => l.filter((x) => x !== c));
              if (!regions.some((r) => r.code === c)) setAdded((a) => [...a, { code: c, name: device.regionName(c) }]);
            }}
          />
        ) : (
          <Text id='regions-full' className='muted'>
            {t(lang, 'tooManyRegions')}
          </Text>
        )}
      </View>
      <Button
        id='upload'
        className='primary'
        disabled={busy || code.trim() === ''}
        onClick={() => {
          void upload();
        }}
      >
        {busy ? t(lang, 'uploading') : t(lang, 'confirmUpload')}
      </Button>
      {result?.text && (
        <Text id='result' className={result.ok ? 'info' : 'error'} aria-live='polite'>
          {result.text}
        </Text>
      )}
    </Frame>
  );
}
