import { Button, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { PrtcError } from '../../../shared/errors';
import { HostError } from '../../host/errors';
import type { ScannedVenue } from '../../services/venues';
import { t } from '../../i18n';
import { getVenues, useDevice } from '../../store';

const hhmm = (s: number) => new Date(s * 1000).toISOString().slice(11, 16);

export default function Checkin() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const venues = getVenues();
  const [, setVersion] = useState(0);
  useEffect(() => venues.subscribe(() => setVersion((n) => n + 1)), [venues]);
  const [scanned, setScanned] = useState<ScannedVenue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = venues.checkins();
  const current = venues.current();

  const scan = async () => {
    setError(null);
    setScanned(null);
    try {
      setScanned(await venues.scan());
    } catch (e) {
      if (e instanceof HostError && e.code === 'cancelled') return;
      const reason = e instanceof HostError ? e.text(lang) : e instanceof PrtcError ? e.message : String(e);
      setError(t(lang, 'venueRefused', { reason }));
    }
  };
  const checkIn = (minutes: number) => {
    if (!scanned) return;
    venues.checkIn(scanned, minutes);
    setScanned(null);
  };

  return (
    <View className='page'>
      {current && (
        <View className='card' id='current'>
          <Text className='reason'>{t(lang, 'checkedIn', { venue: current.description, until: hhmm(current.checkOutAt) })}</Text>
          <Button id='checkout' onClick={() => venues.checkOut(current.id)}>{t(lang, 'checkOutNow')}</Button>
        </View>
      )}
      <Button id='scan' type='primary' onClick={() => { void scan(); }}>{t(lang, 'scanVenue')}</Button>
      {error && <Text id='checkin-error' className='error'>{error}</Text>}
      {scanned && (
        <View className='card' id='venue'>
          <Text id='venue-desc' className='reason'>{scanned.venue.description}</Text>
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
        {list.length === 0 && <Text className='muted'>{t(lang, 'noCheckins')}</Text>}
        {list.map((c) => (
          <Text key={c.id} className='reason'>
            {t(lang, 'checkinLine', { date: new Date(c.checkInAt * 1000).toISOString().slice(0, 10), from: hhmm(c.checkInAt), to: hhmm(c.checkOutAt), venue: c.description })}
          </Text>
        ))}
        <Text className='muted'>{t(lang, 'checkinStaysOnPhone')}</Text>
      </View>
      <Button size='mini' onClick={() => { void device.navigate('home'); }}>{t(lang, 'back')}</Button>
    </View>
  );
}
