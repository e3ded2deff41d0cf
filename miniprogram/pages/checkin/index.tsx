import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ScannedVenue } from '../../device/device';
import { t } from '../../i18n';
import { PrivacyPopup } from '../../ui/privacy-popup';
import { useDevice } from '../../ui/store';

const hhmm = (s: number) => new Date(s * 1000).toISOString().slice(11, 16);

export default function Checkin() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [scanned, setScanned] = useState<ScannedVenue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = v.currentCheckin;

  const scan = async () => {
    setError(null);
    setScanned(null);
    const r = await device.scanVenue();
    if (r.ok) setScanned(r.value);
    else setError(r.text);
  };
  const checkIn = (minutes: number) => {
    if (!scanned) return;
    device.checkIn(scanned, minutes);
    setScanned(null);
  };

  return (
    <View className='page'>
      <PrivacyPopup v={v} device={device} />
      {current && (
        <View className='card' id='current'>
          <Text className='reason'>{t(lang, 'checkedIn', { venue: current.description, until: hhmm(current.checkOutAt) })}</Text>
          <Button id='checkout' onClick={() => device.checkOut(current.id)}>
            {t(lang, 'checkOutNow')}
          </Button>
        </View>
      )}
      <Button
        id='scan'
        type='primary'
        onClick={() => {
          void scan();
        }}
      >
        {t(lang, 'scanVenue')}
      </Button>
      {error && (
        <Text id='checkin-error' className='error'>
          {error}
        </Text>
      )}
      {scanned && (
        <View className='card' id='venue'>
          <Text id='venue-desc' className='reason'>
            {scanned.venue.description}
          </Text>
          {scanned.venue.staff && <Text className='muted'>{t(lang, 'staffShift')}</Text>}
          <Text className='muted'>{t(lang, 'stayFor')}</Text>
          <View className='row'>
            {scanned.choices.map((m) => (
              <Button key={m} id={`stay-${m}`} size='mini' onClick={() => checkIn(m)}>
                {m === scanned.defaultMinutes ? t(lang, 'stayDefault', { n: m }) : t(lang, 'stayMinutes', { n: m })}
              </Button>
            ))}
          </View>
        </View>
      )}
      <View className='card' id='checkins'>
        <Text className='reason'>{t(lang, 'checkinsTitle')}</Text>
        {v.checkins.length === 0 && <Text className='muted'>{t(lang, 'noCheckins')}</Text>}
        {v.checkins.map((c) => (
          <Text key={c.id} className='reason'>
            {t(lang, 'checkinLine', {
              date: new Date(c.checkInAt * 1000).toISOString().slice(0, 10),
              from: hhmm(c.checkInAt),
              to: hhmm(c.checkOutAt),
              venue: c.description,
            })}
          </Text>
        ))}
        <Text className='muted'>{t(lang, 'checkinStaysOnPhone')}</Text>
      </View>
      <Button
        id='back'
        size='mini'
        onClick={() => {
          void device.back();
        }}
      >
        {t(lang, 'back')}
      </Button>
    </View>
  );
}
