/**
 * Family members on the home page (issue 32): each member's status and a button to show its code,
 * "not with me" / "with me again", what a member's code can and cannot know, and adding one (a
 * nickname and a colour only).
 */
import { Button, Input, Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { MAX_MEMBERS, MEMBER_COLOURS, type Device, type DeviceView, type MemberColour } from '../device';
import { t, type StringKey } from '../i18n';
import { clockText, localDateText, localMinutes, pickerValues, reasonText, statusShape, statusWord } from './format';

/** The dot beside a nickname (decorative: the nickname is the label). */
export const COLOUR_HEX: Record<MemberColour, string> = {
  teal: '#00796b',
  orange: '#e65100',
  purple: '#6a1b9a',
  blue: '#1565c0',
  pink: '#ad1457',
  brown: '#5d4037',
};

const when = (lang: DeviceView['lang'], s: number) => `${localDateText(lang, s)} ${clockText(s)}`;

/** "Not with me" from/to, back-dated within the last 14 days (the device refuses anything else, and says why). */
function AwayForm(props: { lang: DeviceView['lang']; device: Device; id: string; position: number; onDone: () => void }) {
  const { lang, device, id, position, onDone } = props;
  const now = device.nowS();
  const [from, setFrom] = useState(pickerValues(now - 3600));
  const [to, setTo] = useState(pickerValues(now));
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    const f = localMinutes(from.date, from.time);
    const u = localMinutes(to.date, to.time);
    const r = f === null || u === null ? null : device.markMemberAway(id, f * 60, Math.min(u * 60, device.nowS()));
    if (r?.ok) onDone();
    else setError(r?.text ?? t(lang, 'memberInvalid'));
  };
  type Moment = { date: string; time: string };
  const picker = (which: 'from' | 'to', v: Moment, set: (f: (x: Moment) => Moment) => void) => (
    <View className='row'>
      <Text className='muted'>{t(lang, which === 'from' ? 'memberAwayFrom' : 'memberAwayTo')}</Text>
      <Picker
        id={`away-${which}-date-${position}`}
        mode='date'
        value={v.date}
        onChange={(e) => set((x) => ({ ...x, date: String(e.detail.value) }))}
      >
        <Text className='info'>{v.date}</Text>
      </Picker>
      <Picker
        id={`away-${which}-time-${position}`}
        mode='time'
        value={v.time}
        onChange={(e) => set((x) => ({ ...x, time: String(e.detail.value) }))}
      >
        <Text className='info'>{v.time}</Text>
      </Picker>
    </View>
  );
  return (
    <View id={`away-form-${position}`}>
      {picker('from', from, setFrom)}
      {picker('to', to, setTo)}
      <Button id={`away-save-${position}`} size='mini' onClick={save}>
        {t(lang, 'memberSave')}
      </Button>
      {error && (
        <Text id={`away-error-${position}`} className='error' aria-live='polite'>
          {error}
        </Text>
      )}
    </View>
  );
}

export function MembersCard(props: { v: DeviceView; device: Device; shown: string | null; onShow: (id: string | null) => void }) {
  const { v, device, shown, onShow } = props;
  const lang = v.lang;
  const [nickname, setNickname] = useState('');
  const [colour, setColour] = useState<MemberColour>('teal');
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const add = async () => {
    const r = await device.addMember(nickname, colour);
    if (r.ok) {
      setNickname('');
      setError(null);
    } else setError(r.text);
  };
  return (
    <View className='card' id='members'>
      <Text className='reason'>{t(lang, 'membersTitle')}</Text>
      {v.members.length === 0 && <Text className='muted'>{t(lang, 'membersNone')}</Text>}
      {shown !== null && (
        <Button id='show-own' size='mini' onClick={() => onShow(null)}>
          {t(lang, 'memberShowOwn')}
        </Button>
      )}
      {v.members.map((m) => (
        <View key={m.id} id={`member-${m.position}`} className='member'>
          <Text className='reason'>
            <Text aria-hidden='true' style={{ color: COLOUR_HEX[m.colour] }}>
              {'● '}
            </Text>
            {`${m.nickname} · ${statusShape(m.status)} ${statusWord(lang, m.status)}`}
          </Text>
          {m.reasons.map((r, k) => (
            <Text key={k} className='muted'>
              {reasonText(lang, r)}
            </Text>
          ))}
          {m.awayPeriods.map((a, k) => (
            <Text key={`a${k}`} className='muted'>
              {a.to === null
                ? t(lang, 'memberIsAway', { time: when(lang, a.from) })
                : t(lang, 'memberAwayPeriod', { from: when(lang, a.from), to: when(lang, a.to) })}
            </Text>
          ))}
          {m.awayPeriods.length > 0 && <Text className='info'>{t(lang, 'memberAwayUnknown', { name: m.nickname })}</Text>}
          <View className='row'>
            {shown !== m.id && (
              <Button id={`show-member-${m.position}`} size='mini' onClick={() => onShow(m.id)}>
                {t(lang, 'memberShowCode', { name: m.nickname })}
              </Button>
            )}
            <Button
              id={`away-member-${m.position}`}
              size='mini'
              onClick={() => (m.awayNow ? device.memberBack(m.id) : device.markMemberAway(m.id, device.nowS(), null))}
            >
              {t(lang, m.awayNow ? 'memberBackNow' : 'memberAwayNow')}
            </Button>
            <Button id={`away-earlier-${m.position}`} size='mini' onClick={() => setEditing(editing === m.id ? null : m.id)}>
              {t(lang, 'memberAwayEarlier')}
            </Button>
            <Button
              id={`remove-member-${m.position}`}
              size='mini'
              onClick={() => {
                if (shown === m.id) onShow(null);
                device.removeMember(m.id);
              }}
            >
              {t(lang, 'memberRemove')}
            </Button>
          </View>
          {editing === m.id && <AwayForm lang={lang} device={device} id={m.id} position={m.position} onDone={() => setEditing(null)} />}
        </View>
      ))}
      {v.members.length > 0 && (
        <View id='member-knows'>
          <Text className='muted'>{t(lang, 'memberCanKnow')}</Text>
          <Text className='muted'>{t(lang, 'memberCannotKnow')}</Text>
        </View>
      )}
      {v.members.length < MAX_MEMBERS && (
        <View id='member-add'>
          <Input
            id='member-nickname'
            value={nickname}
            maxlength={20}
            placeholder={t(lang, 'memberNickname')}
            aria-label={t(lang, 'memberNickname')}
            onInput={(e) => setNickname(e.detail.value)}
          />
          <View className='row' aria-role='radiogroup' aria-label={t(lang, 'memberColour')}>
            {MEMBER_COLOURS.map((c) => (
              <Button
                key={c}
                id={`member-colour-${c}`}
                size='mini'
                aria-role='radio'
                aria-checked={c === colour}
                aria-label={t(lang, `colour_${c}` as StringKey)}
                onClick={() => setColour(c)}
              >
                {/* only the dot is coloured: the label keeps the theme's text colour (AA in light and dark) */}
                <Text aria-hidden='true' style={{ color: COLOUR_HEX[c] }}>
                  {'● '}
                </Text>
                <Text>{`${c === colour ? '✓ ' : ''}${t(lang, `colour_${c}` as StringKey)}`}</Text>
              </Button>
            ))}
          </View>
          <Button
            id='member-add-btn'
            onClick={() => {
              void add();
            }}
          >
            {t(lang, 'memberAdd')}
          </Button>
          {error && (
            <Text id='member-error' className='error' aria-live='polite'>
              {error}
            </Text>
          )}
        </View>
      )}
    </View>
  );
}
