import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ScannedVenue } from '../../device';
import { t } from '../../i18n';
import { Frame } from '../../ui/frame';
import { clockText, localDateText, timeText } from '../../ui/format';
import { useLoad } from '../../ui/lifecycle';
import { PrivacyPopup } from '../../ui/privacy-popup';
import { useDevice } from '../../ui/store';

/**
 * Venue check-in. Opened from the home page (the in-app scanner), or directly by WeChat's own
 * scanner reading a venue poster: the mini-program's "scan a normal link" rule passes the scanned
 * link as `q` (URL-encoded once; developers.weixin.qq.com/miniprogram/introduction/qrcode.html),
 * which is checked exactly as the in-app scanner's result is.
 */
export default function Checkin() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [scanned, setScanned] = useState<ScannedVenue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = v.currentCheckin;
  const now = device.nowS();

  useLoad((query: Record<string, string | undefined>) => {
    if (!query.q) return;
    const r = device.venueFromLink(decodeURIComponent(query.q));
    if (r.ok) setScanned(r.value);
    else setError(r.text);
  });
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
    <Frame device={device} page='checkin'>
      <PrivacyPopup v={v} device={device} />
      {current && (
        <View className='card' id='current'>
          <Text className='reason'>
            {t(lang, 'checkedIn', { venue: current.description, until: timeText(lang, current.checkOutAt, now) })}
          </Text>
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
        <Text id='checkin-error' className='error' aria-live='polite'>
          {error}
        </Text>
      )}
      {scanned && (
        <View className='card' id='venue'>
          <Text id='venue-desc' className='reason'>
            {scanned.venue.description}
          </Text>
          {scanned.venue.staff && <Text className='muted'>{t(lang, 'staffShift')}</Text>}
          {scanned.venue.event && scanned.venue.validFrom > 0 && (
            <Text id='event-window' className='muted'>
              {t(lang, 'eventWindow', {
                from: timeText(lang, scanned.venue.validFrom * 60, now),
                to: scanned.venue.validUntil ? timeText(lang, scanned.venue.validUntil * 60, scanned.venue.validFrom * 60) : '…',
              })}
            </Text>
          )}
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
              date: localDateText(lang, c.checkInAt),
              from: clockText(c.checkInAt),
              to: clockText(c.checkOutAt),
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
    </Frame>
  );
}
