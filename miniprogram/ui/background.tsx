/**
 * Background tracing on the pages: what the home page's "is it working" panel says about how
 * tracing runs and why, and the settings card that switches it (issue 28). Every sentence names the
 * platform's real limit; nothing claims more than the platform allows (§4).
 */
import { Button, Text, View } from '@tarojs/components';
import type { Device, DeviceView } from '../device';
import { age, t, type Language, type StringKey } from '../i18n';
import { timeText } from '../i18n/dates';

/** What this phone's platform allows in the background, in one sentence (Android: readable beacon; iOS: hidden). */
export function limitsText(v: DeviceView): string {
  return t(v.lang, v.background.beaconReadable ? 'bgLimits_android' : 'bgLimits_ios');
}

/** "6 h 10 min", "25 min". */
export function durationText(lang: Language, seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? t(lang, 'durHM', { h, m }) : t(lang, 'durM', { m });
}

/**
 * Why tracing is foreground-only, or what limits it in the background: the one sentence the panel
 * shows under the state, or null (nothing to add).
 */
export function whyText(v: DeviceView): string | null {
  const b = v.background;
  if (b.unavailable && b.unavailable !== 'no_radio') return t(v.lang, `bgWhy_${b.unavailable}` as StringKey);
  if (!v.tracing) return b.wanted ? null : t(v.lang, 'foregroundOnly');
  if (b.problem) return b.problem.text;
  if (!b.wanted) return t(v.lang, 'trWhy_off');
  if (b.stopped) return t(v.lang, 'trWhy_stopped');
  return b.running ? limitsText(v) : null;
}

/** "Checked 06:10, 3 h ago" (with the date on another day), "just now" within a minute; null when never. */
export function lastCheckText(lang: Language, nowS: number, at: number | null): string | null {
  if (at === null) return null;
  const time = timeText(lang, at, nowS);
  if (nowS - at < 60) return t(lang, 'lastCheckJustNow', { time });
  return t(lang, 'lastCheck', { time, age: age(lang, nowS - at) });
}

/** The home page's "is it working" panel: state and why, time today, phones nearby, the last check. */
export function WorkingPanel({ v, device }: { v: DeviceView; device: Device }) {
  const lang = v.lang;
  const now = device.nowS();
  const why = whyText(v);
  const traced = v.tracing || v.tracingSecondsToday > 0;
  return (
    <View id='working'>
      {v.tracing && (
        <Text id='tracing-mode' className='muted'>
          {t(lang, v.tracingMode === 'background' ? 'trState_background' : 'trState_foreground')}
        </Text>
      )}
      {why && (
        <Text id='tracing-why' className={v.background.problem ? 'error' : 'muted'}>
          {why}
        </Text>
      )}
      {v.tracing && v.background.problem?.action && (
        <Button id='bg-fix-home' size='mini' onClick={() => void device.fixBackground()}>
          {v.background.problem.action}
        </Button>
      )}
      {traced && (
        <Text id='tracing-today' className='muted'>
          {t(lang, 'tracingToday', { time: durationText(lang, v.tracingSecondsToday) })}
        </Text>
      )}
      {traced && (
        <Text id='nearby-today' className='muted'>
          {v.nearbyToday > 0 ? t(lang, 'nearbyToday', { n: v.nearbyToday }) : t(lang, 'nearbyNone')}
        </Text>
      )}
      <Text id='last-check' className='muted'>
        {lastCheckText(lang, now, v.lastSyncAt) ?? t(lang, 'neverSynced')}
      </Text>
      {v.checkOverdue && v.lastSyncAt !== null && (
        <Text id='check-overdue' className='error'>
          {t(lang, 'checkOverdue', { age: age(lang, now - v.lastSyncAt) })}
        </Text>
      )}
    </View>
  );
}

/** The settings card: what background tracing is, what WeChat shows, the switch, and what stops it. */
export function BackgroundCard({ v, device }: { v: DeviceView; device: Device }) {
  const lang = v.lang;
  const b = v.background;
  return (
    <View className='card' id='background-card'>
      <Text className='reason'>{t(lang, 'bgTitle')}</Text>
      <Text id='bg-explain' className='muted'>
        {t(lang, 'bgExplain')}
      </Text>
      {b.unavailable ? (
        <Text id='bg-unavailable' className='info'>
          {t(lang, `bgWhy_${b.unavailable}` as StringKey)}
        </Text>
      ) : (
        <View>
          <Text id='bg-howto' className='muted'>
            {t(lang, 'bgHowTo')}
          </Text>
          <Text id='bg-state'>{t(lang, b.wanted ? 'bgOn' : 'bgOff')}</Text>
          {b.wanted && !v.tracing && (
            <Text id='bg-waits' className='muted'>
              {t(lang, 'bgWaitsForTracing')}
            </Text>
          )}
          {b.wanted && (
            <Text id='bg-limits' className='muted'>
              {limitsText(v)}
            </Text>
          )}
          {b.problem && (
            <Text id='bg-error' className='error'>
              {b.problem.text}
            </Text>
          )}
          {b.problem?.action && (
            <Button id='bg-fix' size='mini' onClick={() => void device.fixBackground()}>
              {b.problem.action}
            </Button>
          )}
          <Button id='bg-toggle' onClick={() => void device.setBackground(!b.wanted)}>
            {t(lang, b.wanted ? 'bgTurnOff' : 'bgTurnOn')}
          </Button>
        </View>
      )}
    </View>
  );
}
