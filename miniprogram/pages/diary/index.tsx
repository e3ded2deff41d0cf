import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { useMemo, useState } from 'react';
import type { DiaryDay, Outcome } from '../../device';
import { t } from '../../i18n';
import { clockText } from '../../ui/format';
import { Frame } from '../../ui/frame';
import { PrivacyPopup } from '../../ui/privacy-popup';
import { useDevice } from '../../ui/store';

/**
 * The private diary (issue 32): the 15 days of the window, each with the places the phone knows
 * (check-ins, venue codes made here), the people and notes the user writes in, and a mark on a day
 * with an exposure. It stays on the phone; "Copy" puts the text on the clipboard for the user to
 * paste where they choose (a contact tracer's chat) — nothing is uploaded.
 */
export default function Diary() {
  const [v, device] = useDevice();
  const lang = v.lang;
  // built again when the device's view changes (every change to the diary, a sync, the clock's tick
  // emit one), not at each keystroke in the fields below
  const days = useMemo(() => device.diaryDays(), [v, device]);
  const [date, setDate] = useState<string | null>(null);
  const [person, setPerson] = useState('');
  const [notes, setNotes] = useState<{ date: string; text: string } | null>(null);
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  const day: DiaryDay = days.find((d) => d.date === date) ?? days[0];
  const notesText = notes && notes.date === day.date ? notes.text : day.notes;

  const show = (r: Outcome<unknown>) => setAnswer(r.text ? { ok: r.ok, text: r.text } : null);
  const add = () => {
    const r = device.diaryAddPerson(day.date, person);
    show(r);
    if (r.ok) setPerson('');
  };
  const copy = async (which: string | null) => show(await device.diaryCopy(which));

  return (
    <Frame device={device} page='diary'>
      <PrivacyPopup v={v} device={device} />
      <Text className='muted'>{t(lang, 'diaryIntro')}</Text>
      <View className='row' id='diary-days'>
        {days.map((d) => (
          <Button
            key={d.date}
            id={`day-${d.date}`}
            size='mini'
            className={d.date === day.date ? 'primary' : ''}
            onClick={() => {
              setDate(d.date);
              setAnswer(null);
            }}
          >
            {d.risk ? `! ${d.label}` : d.label}
          </Button>
        ))}
      </View>
      <View className='card' id='diary-day'>
        <Text className='reason'>{day.label}</Text>
        {day.risk && (
          <Text id='diary-risk' className='error'>
            {`! ${t(lang, 'diaryRiskMark')}: ${t(lang, 'diaryRiskLine')}`}
          </Text>
        )}
        <View id='diary-places'>
          <Text className='reason'>{t(lang, 'diaryPlaces')}</Text>
          {day.places.length === 0 && <Text className='muted'>{t(lang, 'diaryNone')}</Text>}
          {day.places.map((p, k) => (
            <Text key={k} className='muted'>
              {p.kind === 'own'
                ? t(lang, 'diaryOwnLine', { time: clockText(p.from), venue: p.venue })
                : t(lang, 'diaryPlaceLine', { from: clockText(p.from), to: clockText(p.to ?? p.from), venue: p.venue })}
            </Text>
          ))}
        </View>
        <View id='diary-people'>
          <Text className='reason'>{t(lang, 'diaryPeople')}</Text>
          {day.people.length === 0 && <Text className='muted'>{t(lang, 'diaryNone')}</Text>}
          {day.people.map((name, k) => (
            <View key={`${k}-${name}`} className='row'>
              <Text>{t(lang, 'diaryPersonLine', { name })}</Text>
              <Button id={`remove-person-${k}`} size='mini' onClick={() => show(device.diaryRemovePerson(day.date, k))}>
                {t(lang, 'diaryRemove')}
              </Button>
            </View>
          ))}
        </View>
        <View className='row'>
          <Input
            id='diary-person'
            value={person}
            maxlength={40}
            placeholder={t(lang, 'diaryPersonHint')}
            aria-label={t(lang, 'diaryPersonHint')}
            onInput={(e) => setPerson(e.detail.value)}
          />
          <Button id='diary-add' size='mini' onClick={add}>
            {t(lang, 'diaryAddPerson')}
          </Button>
        </View>
        <Text className='reason'>{t(lang, 'diaryNotes')}</Text>
        <Textarea
          id='diary-notes'
          value={notesText}
          maxlength={1000}
          aria-label={t(lang, 'diaryNotes')}
          onInput={(e) => setNotes({ date: day.date, text: e.detail.value })}
        />
        <Button id='diary-save-notes' size='mini' onClick={() => show(device.diarySetNotes(day.date, notesText))}>
          {t(lang, 'diarySaveNotes')}
        </Button>
        {answer && (
          <Text id={answer.ok ? 'diary-note' : 'diary-error'} className={answer.ok ? 'muted' : 'error'} aria-live='polite'>
            {answer.text}
          </Text>
        )}
        <View className='row'>
          <Button id='diary-copy-day' className='primary' onClick={() => void copy(day.date)}>
            {t(lang, 'diaryCopyDay')}
          </Button>
          <Button id='diary-copy-all' onClick={() => void copy(null)}>
            {t(lang, 'diaryCopyAll')}
          </Button>
        </View>
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
