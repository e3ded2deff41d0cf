import { Button, Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { t } from '../../i18n';
import { WorkingPanel } from '../../ui/background';
import { Frame } from '../../ui/frame';
import { sinceText, statusHint, statusLabel, statusShape, statusWord, timeText } from '../../ui/format';
import { useDidHide, useDidShow } from '../../ui/lifecycle';
import { useHealthCodeQr } from '../../ui/health-code';
import { PrivacyPopup, ProblemCard } from '../../ui/privacy-popup';
import { StatusCard, UntilOnCode } from '../../ui/status-card';
import { useDevice } from '../../ui/store';
import { MembersCard } from '../../ui/members';

export default function Home() {
  const [v, device] = useDevice();
  useDidShow(() => {
    void device.showingHealthCode(true);
  });
  useDidHide(() => {
    void device.showingHealthCode(false);
  });
  const lang = v.lang;
  const now = device.nowS();
  // whose code is on screen: the user's, or a family member's (issue 32)
  const [shownId, setShown] = useState<string | null>(null);
  const member = v.members.find((m) => m.id === shownId) ?? null;
  const qr = useHealthCodeQr(device, v, member?.id);
  const status = member ? member.status : v.status;
  const lastSync = sinceText(lang, now, v.lastSyncAt, 'lastSync', 'lastSyncJustNow');
  const progress =
    v.progress && v.progress.total > 0 ? t(lang, 'syncing', { done: v.progress.done, total: v.progress.total }) : t(lang, 'syncingStart');
  return (
    <Frame device={device} page='home'>
      <PrivacyPopup v={v} device={device} />
      {member && (
        <Text id='member-code-of' className='reason'>
          {t(lang, 'memberCodeOf', { name: member.nickname, k: member.position, n: member.count })}
        </Text>
      )}
      <View className={`status status-${status}`} id='status-block' aria-role='heading' aria-label={statusLabel(lang, status)}>
        <Text className='shape' aria-hidden='true'>
          {statusShape(status)}
        </Text>
        <Text id='status'>{statusWord(lang, status)}</Text>
      </View>
      <Text className='hint' id='status-hint'>
        {statusHint(lang, status)}
      </Text>
      <View className='card'>
        {qr ? (
          <Image
            id='qr'
            className='qr'
            src={qr}
            mode='aspectFit'
            aria-role='img'
            aria-label={t(lang, 'qrA11y', { status: statusWord(lang, status) })}
          />
        ) : (
          <Text id='qr-missing' className='muted'>
            {v.lastSyncAt !== null && !v.hasCheckpoint ? t(lang, 'noBatchesYet') : t(lang, 'needSyncForCode')}
          </Text>
        )}
        <Text id='last-sync' className='muted'>
          {lastSync ?? t(lang, 'neverSynced')}
        </Text>
        {v.acceptedUntil !== null && (
          <Text id='accepted-until' className={v.expiresSoon ? 'error' : 'muted'}>
            {v.acceptedUntil <= now
              ? t(lang, 'expired')
              : t(lang, v.expiresSoon ? 'expiresSoon' : 'acceptedUntil', { time: timeText(lang, v.acceptedUntil, now) })}
          </Text>
        )}
        {qr && <UntilOnCode v={v} now={now} />}
        {v.syncing && (
          <Text id='progress' className='info' aria-live='polite'>
            {progress}
          </Text>
        )}
        <Button
          id='sync'
          disabled={v.syncing}
          onClick={() => {
            void device.runSync();
          }}
        >
          {t(lang, 'syncNow')}
        </Button>
      </View>
      {v.message && (
        <Text id='message' className={v.message.kind === 'error' ? 'error' : 'info'} aria-live='polite'>
          {v.message.text}
        </Text>
      )}
      {v.nextRetryAt !== null && !v.syncing && (
        <Text id='retry-at' className='muted'>
          {t(lang, 'retryAt', { time: timeText(lang, v.nextRetryAt, now) })}
        </Text>
      )}
      {v.damage.map((text, k) => (
        <Text key={k} id={`damage-${k}`} className='error'>
          {text}
        </Text>
      ))}
      {/* the explained status (issue 29): why, until when, what turns it green, the authority's advice */}
      {!member && <StatusCard v={v} device={device} now={now} />}
      {/* family members on this phone (issue 32): their status and codes */}
      <MembersCard v={v} device={device} shown={member?.id ?? null} onShow={setShown} />
      <View className='card'>
        <Text id='tracing-state'>{v.tracing ? t(lang, v.broadcasting ? 'tracingOn' : 'listeningOnly') : t(lang, 'tracingOff')}</Text>
        {/* is it working: how tracing runs and why, today's figures, the last check (issue 28) */}
        <WorkingPanel v={v} device={device} />
        {v.tracing && (
          <Text id='encounters' className='muted'>
            {t(lang, 'encounters', { n: v.encounters })}
          </Text>
        )}
        <ProblemCard v={v} device={device} />
        <Button
          id='tracing-toggle'
          onClick={() => {
            void (v.tracing ? device.stopTracing() : device.startTracing());
          }}
        >
          {v.tracing ? t(lang, 'stopTracing') : t(lang, 'startTracing')}
        </Button>
      </View>
      <View className='row'>
        {(['checkin', 'report', 'gate', 'history', 'diary', 'settings'] as const).map((page) => (
          <Button
            key={page}
            id={`go-${page}`}
            size='mini'
            onClick={() => {
              void device.navigate(page);
            }}
          >
            {t(lang, page === 'history' ? 'history' : page)}
          </Button>
        ))}
        {/* a phone that holds nothing yet may be someone's new phone (issue 32, §17) */}
        {v.ready && v.encounters === 0 && v.checkins.length === 0 && (
          <Button
            id='go-move'
            size='mini'
            onClick={() => {
              void device.navigate('move');
            }}
          >
            {t(lang, 'moveInTitle')}
          </Button>
        )}
      </View>
      {v.lastSyncAt !== null && v.statusComputedAt !== null && (
        <Text id='status-age' className='muted'>
          {sinceText(lang, now, v.statusComputedAt, 'statusAge', 'statusAgeJustNow')}
        </Text>
      )}
    </Frame>
  );
}
