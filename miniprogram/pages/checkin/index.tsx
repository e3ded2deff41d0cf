import { Button, Input, Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Checkin as CheckinRecord, Outcome, ScannedVenue } from '../../device';
import { t } from '../../i18n';
import { Frame } from '../../ui/frame';
import { clockText, localDateText, localMinutes, pickerDate, timeText } from '../../ui/format';
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
  const [note, setNote] = useState<string | null>(null);
  // correcting a check-in's times (issue 32): which one, and the two times as the pickers write them
  const [editing, setEditing] = useState<{ id: string; date: string; from: string; to: string } | null>(null);
  // a visit by hand from a venue link someone shared or a photographed code (issue 32)
  const [manual, setManual] = useState({ link: '', date: '', from: '', to: '' });
  // family members checked in together with the user (issue 32)
  const [companions, setCompanions] = useState<string[]>([]);
  const toggle = (id: string) => setCompanions((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  const nickname = (id: string) => v.members.find((m) => m.id === id)?.nickname;
  const current = v.currentCheckin;
  const now = device.nowS();
  // the retention window (§1): today and 14 days back
  const oldestDate = pickerDate(now - 14 * 86400);
  const today = pickerDate(now);

  useLoad((query: Record<string, string | undefined>) => {
    if (!query.q) return;
    const r = device.venueFromLink(decodeURIComponent(query.q));
    if (r.ok) setScanned(r.value);
    else setError(r.text);
  });
  const answer = (r: Outcome<CheckinRecord>): boolean => {
    setError(r.ok ? null : r.text);
    setNote(r.ok ? r.text : null);
    return r.ok;
  };
  const secondsOf = (date: string, time: string) => {
    const m = localMinutes(date, time);
    return m === null ? NaN : m * 60;
  };
  const startEdit = (c: CheckinRecord) => {
    setError(null);
    setNote(null);
    setEditing({ id: c.id, date: pickerDate(c.checkInAt), from: clockText(c.checkInAt), to: clockText(c.checkedOut ? c.checkOutAt : now) });
  };
  const saveEdit = () => {
    if (!editing) return;
    if (answer(device.editCheckin(editing.id, secondsOf(editing.date, editing.from), secondsOf(editing.date, editing.to))))
      setEditing(null);
  };
  const addManual = () => {
    if (answer(device.addManualCheckin(manual.link, secondsOf(manual.date, manual.from), secondsOf(manual.date, manual.to))))
      setManual({ link: '', date: '', from: '', to: '' });
  };
  const scan = async () => {
    setError(null);
    setNote(null);
    setScanned(null);
    const r = await device.scanVenue();
    if (r.ok) setScanned(r.value);
    else setError(r.text);
  };
  const checkIn = (minutes: number) => {
    if (!scanned) return;
    setNote(device.checkIn(scanned, minutes, companions).text);
    setScanned(null);
    setCompanions([]);
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
        className='primary'
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
      {note && (
        <Text id='checkin-note' className='muted' aria-live='polite'>
          {note}
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
          {v.members.length > 0 && (
            <View id='companions'>
              <Text className='muted'>{t(lang, 'checkinWith')}</Text>
              <View className='row'>
                {v.members.map((m) => (
                  <Button
                    key={m.id}
                    id={`with-member-${m.position}`}
                    size='mini'
                    className={companions.includes(m.id) ? 'primary' : ''}
                    aria-role='checkbox'
                    aria-checked={companions.includes(m.id)}
                    onClick={() => toggle(m.id)}
                  >
                    {`${companions.includes(m.id) ? '✓ ' : ''}${m.nickname}`}
                  </Button>
                ))}
              </View>
              {companions.length > 0 && (
                <Text id='companions-count' className='info'>
                  {t(lang, 'checkinWithCount', { n: companions.length })}
                </Text>
              )}
            </View>
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
        {v.checkins.map((c) => {
          const names = (c.companions ?? []).map(nickname).filter((n) => n !== undefined);
          return (
            <View key={c.id} className='checkin'>
              <Text className='reason'>
                {t(lang, 'checkinLine', {
                  date: localDateText(lang, c.checkInAt),
                  from: clockText(c.checkInAt),
                  to: clockText(c.checkOutAt),
                  venue: c.description,
                })}
                {c.manual ? ` ${t(lang, 'checkinManualMark')}` : ''}
                {names.length > 0 ? ` · ${t(lang, 'checkinWithLine', { names: names.join(lang === 'en' ? ', ' : '、') })}` : ''}
              </Text>
              {c.reported ? (
                <Text className='muted'>{t(lang, 'checkinReportedNote')}</Text>
              ) : editing?.id === c.id ? (
                <View className='row' id='edit-form'>
                  {(
                    [
                      ['from', 'checkinEditFrom'],
                      ['to', 'checkinEditTo'],
                    ] as const
                  ).map(([key, label]) => (
                    <Picker
                      key={key}
                      id={`edit-${key}`}
                      mode='time'
                      value={editing[key]}
                      onChange={(e) => setEditing((p) => (p ? { ...p, [key]: e.detail.value } : p))}
                    >
                      <Text>{`${t(lang, label)} ${editing[key]}`}</Text>
                    </Picker>
                  ))}
                  <Button id='edit-save' size='mini' className='primary' onClick={saveEdit}>
                    {t(lang, 'checkinSave')}
                  </Button>
                  <Button id='edit-cancel' size='mini' onClick={() => setEditing(null)}>
                    {t(lang, 'checkinCancel')}
                  </Button>
                </View>
              ) : (
                <Button id={`edit-${c.id}`} className='checkin-edit' size='mini' onClick={() => startEdit(c)}>
                  {t(lang, 'checkinEdit')}
                </Button>
              )}
            </View>
          );
        })}
        <Text className='muted'>{t(lang, 'checkinStaysOnPhone')}</Text>
      </View>
      <View className='card' id='manual'>
        <Text className='reason'>{t(lang, 'checkinManual')}</Text>
        <Text className='muted'>{t(lang, 'checkinManualHint')}</Text>
        <Input
          id='manual-link'
          value={manual.link}
          aria-label={t(lang, 'checkinManualLink')}
          placeholder={t(lang, 'checkinManualLink')}
          onInput={(e) => setManual((p) => ({ ...p, link: e.detail.value }))}
        />
        <View className='row'>
          <Picker
            id='manual-date'
            mode='date'
            start={oldestDate}
            end={today}
            value={manual.date}
            onChange={(e) => setManual((p) => ({ ...p, date: e.detail.value }))}
          >
            <Text>{`${t(lang, 'checkinManualDate')} ${manual.date || '—'}`}</Text>
          </Picker>
          {(
            [
              ['from', 'checkinEditFrom'],
              ['to', 'checkinEditTo'],
            ] as const
          ).map(([key, label]) => (
            <Picker
              key={key}
              id={`manual-${key}`}
              mode='time'
              value={manual[key]}
              onChange={(e) => setManual((p) => ({ ...p, [key]: e.detail.value }))}
            >
              <Text>{`${t(lang, label)} ${manual[key] || '—'}`}</Text>
            </Picker>
          ))}
        </View>
        <Button id='manual-add' size='mini' onClick={addManual}>
          {t(lang, 'checkinAdd')}
        </Button>
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
