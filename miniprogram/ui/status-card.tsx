/**
 * The explained status (issue 29), for the home page and the exposure details: why (each reason:
 * day with weekday, part of the day, how long, how close — or the venue and the overlap), until
 * when if nothing new is found (a date and a countdown), what turns the code green (time, nothing
 * else), and the health authority's advice for this colour from the signed configuration.
 */
import { Button, Text, View } from '@tarojs/components';
import { DEFAULT_CONFIG_V2 } from '../../shared/risk/config-v2';
import type { Device, DeviceView } from '../device';
import { t } from '../i18n';
import { momentText, reasonText, statusShape, statusWord, untilParts } from './format';

/** "If nothing new is found, your code turns green from Sat 5 Dec, 08:00 (in 9 days)", and "Red until …, then yellow". */
export function UntilWhen({ v, now }: { v: DeviceView; now: number }) {
  if (v.status === 'green' || v.greenAt === null) return null;
  const lang = v.lang;
  return (
    <View id='until'>
      {v.status === 'red' && v.levelUntil !== null && v.levelUntil < v.greenAt && (
        <Text id='until-level' className='reason'>
          {t(lang, 'untilRedThenYellow', { time: momentText(lang, v.levelUntil) })}
        </Text>
      )}
      <Text id='until-green' className='reason'>
        {t(lang, 'untilGreen', untilParts(lang, now, v.greenAt))}
      </Text>
      <Text id='turns-green' className='muted'>
        {t(lang, v.reasons.some((r) => r.kind === 'self') ? 'turnsGreenSelf' : 'turnsGreen', { days: v.exposureDays })}
      </Text>
    </View>
  );
}

/**
 * The authority's advice for this colour: what to do now, a hotline, a link, and whose advice it is.
 * The hotline and the link are text the user can select and copy (`user-select`, base library
 * 2.12.1: developers.weixin.qq.com/miniprogram/dev/component/text.html), not a button: a
 * mini-program opens a web page only in a web-view on one of its registered business domains, and
 * not at all in a plug-in (developers.weixin.qq.com/miniprogram/dev/framework/ability/domain.html),
 * while the authority's link may be on any https site.
 */
export function Advice({ v }: { v: DeviceView }) {
  const lang = v.lang;
  const a = v.advice;
  return (
    <View className='card' id='advice'>
      <Text className='reason'>{t(lang, 'adviceTitle')}</Text>
      <Text id='advice-now' className='reason'>
        {a.now}
      </Text>
      {a.hotline && (
        <Text id='advice-hotline' className='reason' userSelect>
          {t(lang, 'adviceHotline', { hotline: a.hotline })}
        </Text>
      )}
      {a.link && (
        <Text id='advice-link' className='link' userSelect>
          {t(lang, 'adviceLink', { link: a.link })}
        </Text>
      )}
      <Text id='advice-source' className='muted'>
        {/* serial 1 is the build's default, which a server serves until its operator publishes (from 2 on) */}
        {v.configSerial > DEFAULT_CONFIG_V2.serial ? t(lang, 'adviceFromAuthority', { serial: v.configSerial }) : t(lang, 'adviceBuiltIn')}
      </Text>
    </View>
  );
}

/** The home page's card: the reasons (at most three, the rest on the details page), until when, the advice. */
export function StatusCard({ v, device, now }: { v: DeviceView; device: Device; now: number }) {
  const lang = v.lang;
  return (
    <>
      <View className='card'>
        <Text className='reason'>{t(lang, 'reasons')}</Text>
        <View id='reasons'>
          {v.reasons.length === 0 ? (
            <Text className='muted'>{t(lang, 'noReasons')}</Text>
          ) : (
            v.reasons.slice(0, 3).map((r, k) => (
              <Text key={k} className='reason'>
                {reasonText(lang, r)}
              </Text>
            ))
          )}
        </View>
        <UntilWhen v={v} now={now} />
        {v.reasons.length > 0 && (
          <Button
            id='go-exposure'
            size='mini'
            onClick={() => {
              void device.navigate('exposure');
            }}
          >
            {t(lang, 'details')}
          </Button>
        )}
      </View>
      <Advice v={v} />
    </>
  );
}

/** Beside the health code a gate scans: until when this colour lasts if nothing new is found (never the reasons). */
export function UntilOnCode({ v, now }: { v: DeviceView; now: number }) {
  if (v.status === 'green' || v.greenAt === null) return null;
  const lang = v.lang;
  const { time, left } = untilParts(lang, now, v.levelUntil ?? v.greenAt);
  return (
    <Text id='until-on-code' className='muted'>
      {`${statusShape(v.status)} ${t(lang, 'untilOnCode', { status: statusWord(lang, v.status), time, left })}`}
    </Text>
  );
}
