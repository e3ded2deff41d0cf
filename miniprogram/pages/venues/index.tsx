import { Button, Image, Input, Picker, Switch, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { t } from '../../i18n';
import type { StringKey } from '../../i18n/strings';
import { localMinutes, pickerValues } from '../../ui/format';
import { Frame } from '../../ui/frame';
import { FeatureNote } from '../../ui/feature-note';
import { useShareAppMessage } from '../../ui/lifecycle';
import { PrivacyPopup } from '../../ui/privacy-popup';
import { RegionPicker } from '../../ui/region-picker';
import { useDevice } from '../../ui/store';

const TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8];

export default function Venues() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [name, setName] = useState('');
  const [type, setType] = useState(1);
  const [minutes, setMinutes] = useState('60');
  const [staff, setStaff] = useState(false);
  const [event, setEvent] = useState(false);
  const [from, setFrom] = useState({ date: '', time: '' });
  const [until, setUntil] = useState({ date: '', time: '' });
  // §15: the venue's region (a version 0x02 code); until the owner picks, the phone's home region, else not given (0x01)
  const [regionPick, setRegionPick] = useState<number | null | undefined>(undefined);
  const region = regionPick === undefined ? (v.homeRegion?.code ?? null) : regionPick;
  const [problems, setProblems] = useState<string[]>([]);
  const [shown, setShown] = useState<{ id: string; path: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ kind: 'error' | 'info'; text: string; settings?: boolean } | null>(null);
  const left = device.venueNameBytesLeft(name);
  // issue 31: the owner's warning of one venue made on this phone
  type When = { date: string; time: string };
  const [warning, setWarning] = useState<{ id: string; code: string; from: When; until: When } | null>(null);
  const [warnNote, setWarnNote] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const openWarning = (id: string) => {
    const w = device.venueWarnWindow(id);
    if (!w) return;
    setWarnNote(null);
    setWarning({ id, code: '', from: pickerValues(w.start), until: pickerValues(w.end) });
  };

  const sendWarning = async () => {
    if (!warning || busy) return;
    const from = localMinutes(warning.from.date, warning.from.time);
    const until = localMinutes(warning.until.date, warning.until.time);
    setBusy(true);
    setWarnNote({ kind: 'info', text: t(lang, 'warnSending') });
    const r = await device.warnVenue(warning.id, warning.code, (from ?? 0) * 60, (until ?? 0) * 60);
    setBusy(false);
    setWarnNote({ kind: r.ok ? 'info' : 'error', text: r.text ?? '' });
    if (r.ok) setWarning(null);
  };

  useShareAppMessage(() => {
    const s = shown ? device.venueShare(shown.id) : null;
    return s ?? { title: t(lang, 'venueCodeTitle'), path: '/pages/home/index' };
  });

  const draw = async (id: string) => {
    setShown({ id, path: null });
    setBusy(true);
    const r = await device.venuePoster(id);
    setBusy(false);
    if (r.ok) setShown({ id, path: r.value });
    else setNote({ kind: 'error', text: r.text ?? '' });
  };

  const make = async () => {
    setNote(null);
    const draft = {
      name,
      venueType: type,
      minutes: Number(minutes),
      staff,
      event,
      fromMin: event ? localMinutes(from.date, from.time) : null,
      untilMin: event ? localMinutes(until.date, until.time) : null,
      region,
    };
    const found = device.venueProblems(draft);
    setProblems(found);
    if (found.length) return;
    const r = await device.createVenue(draft);
    if (!r.ok) return setNote({ kind: 'error', text: r.text ?? '' });
    await draw(r.value.id);
  };

  const save = async () => {
    if (!shown?.path) return;
    const r = await device.saveVenuePoster(shown.path);
    if (r.ok) setNote({ kind: 'info', text: t(lang, 'venueSaved') });
    else if (r.text) setNote({ kind: 'error', text: r.text, settings: r.code === 'permission_denied' });
  };

  return (
    <Frame device={device} page='venues'>
      <PrivacyPopup v={v} device={device} />
      <View className='card'>
        <Text className='muted'>{t(lang, 'venueCodeIntro')}</Text>
        <FeatureNote v={v} feature='venues' />
        <Text className='reason'>{t(lang, 'venueName')}</Text>
        <Input
          id='venue-name'
          value={name}
          maxlength={200}
          aria-label={t(lang, 'venueName')}
          onInput={(e) => {
            setName(e.detail.value);
          }}
        />
        <Text id='bytes-left' className={left < 0 ? 'error' : 'muted'} aria-live='polite'>
          {left >= 0 ? t(lang, 'venueBytesLeft', { n: left }) : t(lang, 'venueBytesOver', { n: -left })}
        </Text>
        <Text className='reason'>{t(lang, 'venueType')}</Text>
        <Picker
          id='venue-type'
          mode='selector'
          range={TYPES.map((k) => t(lang, `venueType_${k}` as StringKey))}
          value={type}
          onChange={(e) => {
            setType(Number(e.detail.value));
          }}
        >
          <Text id='venue-type-name'>{t(lang, `venueType_${type}` as StringKey)}</Text>
        </Picker>
        <Text className='reason'>{t(lang, 'venueMinutes')}</Text>
        <Input
          id='venue-minutes'
          type='number'
          value={minutes}
          aria-label={t(lang, 'venueMinutes')}
          onInput={(e) => {
            setMinutes(e.detail.value);
          }}
        />
        <View className='row'>
          <Switch
            id='venue-staff'
            aria-label={t(lang, 'venueStaff')}
            checked={staff}
            onChange={(e) => {
              setStaff(e.detail.value);
              if (e.detail.value && minutes === '60') setMinutes('480');
            }}
          />
          <Text>{t(lang, 'venueStaff')}</Text>
        </View>
        <View className='row'>
          <Switch
            id='venue-event'
            aria-label={t(lang, 'venueEvent')}
            checked={event}
            onChange={(e) => {
              setEvent(e.detail.value);
            }}
          />
          <Text>{t(lang, 'venueEvent')}</Text>
        </View>
        {event &&
          (
            [
              ['from', from, setFrom, 'venueFrom'],
              ['until', until, setUntil, 'venueUntil'],
            ] as const
          ).map(([key, value, set, label]) => (
            <View className='row' key={key}>
              <Text>{t(lang, label)}</Text>
              <Picker
                id={`venue-${key}-date`}
                mode='date'
                value={value.date}
                onChange={(e) => set((p) => ({ ...p, date: e.detail.value }))}
              >
                <Text>{value.date || '—'}</Text>
              </Picker>
              <Picker
                id={`venue-${key}-time`}
                mode='time'
                value={value.time}
                onChange={(e) => set((p) => ({ ...p, time: e.detail.value }))}
              >
                <Text>{value.time || '—'}</Text>
              </Picker>
            </View>
          ))}
        <Text className='reason'>{t(lang, 'venueRegion')}</Text>
        <Text className='muted'>{t(lang, 'venueRegionWhy')}</Text>
        <Text id='venue-region-name'>
          {region === null ? t(lang, 'venueRegionNone') : t(lang, 'venueRegionIs', { region: device.regionName(region) })}
        </Text>
        <RegionPicker device={device} lang={lang} id='venue-region' onPick={(code) => setRegionPick(code)} />
        {region !== null && (
          <Button id='venue-region-clear' size='mini' onClick={() => setRegionPick(null)}>
            {t(lang, 'venueRegionClear')}
          </Button>
        )}
        {problems.map((p) => (
          <Text key={p} className='error venue-problem' aria-live='polite'>
            {p}
          </Text>
        ))}
        <Button id='venue-make' className='primary' onClick={() => void make()}>
          {t(lang, 'venueMake')}
        </Button>
      </View>
      {shown && (
        <View className='card' id='poster'>
          {busy && <Text className='muted'>{t(lang, 'venueDrawing')}</Text>}
          {shown.path && <Image id='poster-image' src={shown.path} mode='widthFix' className='poster' />}
          <Button id='venue-save' disabled={!shown.path} onClick={() => void save()}>
            {t(lang, 'venueSave')}
          </Button>
          <Button id='venue-share' openType='share'>
            {t(lang, 'venueShare')}
          </Button>
        </View>
      )}
      {note && (
        <View className='card'>
          <Text id='venue-note' className={note.kind === 'error' ? 'error' : 'info'} aria-live='polite'>
            {note.text}
          </Text>
          {note.settings && (
            <Button id='venue-settings' onClick={() => void device.openPermissions()}>
              {t(lang, 'venueOpenSettings')}
            </Button>
          )}
        </View>
      )}
      <View className='card'>
        <Text className='reason'>{t(lang, 'venueMine')}</Text>
        {v.ownVenues.length === 0 && <Text className='muted'>{t(lang, 'venueNone')}</Text>}
        {v.ownVenues.map((o) => (
          <View key={o.id} className='row own-venue'>
            <Text>{o.draft.region ? `${o.draft.name} · ${device.regionName(o.draft.region)}` : o.draft.name}</Text>
            <Button size='mini' className='venue-show' onClick={() => void draw(o.id)}>
              {t(lang, 'venueShow')}
            </Button>
            <Button size='mini' className='venue-warn' onClick={() => openWarning(o.id)}>
              {t(lang, 'warnVisitors')}
            </Button>
            <Button
              size='mini'
              className='venue-delete'
              onClick={() => {
                if (shown?.id === o.id) setShown(null);
                device.deleteVenue(o.id);
              }}
            >
              {t(lang, 'venueDelete')}
            </Button>
          </View>
        ))}
      </View>
      {warning && (
        <View className='card' id='warn'>
          <Text className='reason'>{`${t(lang, 'warnVisitors')} · ${v.ownVenues.find((o) => o.id === warning.id)?.draft.name ?? ''}`}</Text>
          <Text className='muted'>{t(lang, 'warnIntro')}</Text>
          <Text>{t(lang, 'warnCode')}</Text>
          <Input
            id='warn-code'
            aria-label={t(lang, 'warnCode')}
            value={warning.code}
            maxlength={32}
            onInput={(e) => setWarning((w) => w && { ...w, code: e.detail.value })}
          />
          {(
            [
              ['from', 'warnFrom'],
              ['until', 'warnUntil'],
            ] as const
          ).map(([key, label]) => (
            <View className='row' key={key}>
              <Text>{t(lang, label)}</Text>
              <Picker
                id={`warn-${key}-date`}
                mode='date'
                value={warning[key].date}
                onChange={(e) => setWarning((w) => w && { ...w, [key]: { ...w[key], date: e.detail.value } })}
              >
                <Text>{warning[key].date}</Text>
              </Picker>
              <Picker
                id={`warn-${key}-time`}
                mode='time'
                value={warning[key].time}
                onChange={(e) => setWarning((w) => w && { ...w, [key]: { ...w[key], time: e.detail.value } })}
              >
                <Text>{warning[key].time}</Text>
              </Picker>
            </View>
          ))}
          <Button id='warn-send' className='primary' disabled={busy} onClick={() => void sendWarning()}>
            {t(lang, 'warnConfirm')}
          </Button>
          <Button id='warn-cancel' onClick={() => setWarning(null)}>
            {t(lang, 'warnCancel')}
          </Button>
        </View>
      )}
      {warnNote && (
        <View className='card'>
          <Text id='warn-note' className={warnNote.kind === 'error' ? 'error' : 'info'} aria-live='polite'>
            {warnNote.text}
          </Text>
        </View>
      )}
    </Frame>
  );
}
