import { Text, View } from '@tarojs/components';
import { t } from '../../i18n';
import { Frame } from '../../ui/frame';
import { momentText, reasonText, statusHint, statusLabel, statusShape, statusWord } from '../../ui/format';
import { Advice, UntilWhen } from '../../ui/status-card';
import { useDevice } from '../../ui/store';

/**
 * Exposure details: every reason, each with until when it counts; when the code is green again if
 * nothing new is found, what turns it green, and the authority's advice (issue 29).
 */
export default function Exposure() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const now = device.nowS();
  return (
    <Frame device={device} page='exposure'>
      <View className={`status status-${v.status}`} aria-role='heading' aria-label={statusLabel(lang, v.status)}>
        <Text className='shape' aria-hidden='true'>
          {statusShape(v.status)}
        </Text>
        <Text id='status'>{statusWord(lang, v.status)}</Text>
      </View>
      <Text className='hint'>{statusHint(lang, v.status)}</Text>
      <View className='card' id='reasons'>
        <Text className='reason'>{t(lang, 'exposureTitle')}</Text>
        {v.reasons.length === 0 && <Text className='muted'>{t(lang, 'noReasons')}</Text>}
        {v.reasons.map((r, k) => (
          <View key={k}>
            <Text
              id={`reason-${k}`}
              className='reason'
            >{`${statusShape(r.level)} ${statusWord(lang, r.level)} · ${reasonText(lang, r)}`}</Text>
            {r.authorityText && (
              <Text id={`reason-authority-${k}`} className='reason'>
                {r.authorityText}
              </Text>
            )}
            {r.levelAdvice && (
              <Text id={`reason-advice-${k}`} className='muted'>
                {t(lang, 'levelAdvice', { advice: r.levelAdvice.now })}
              </Text>
            )}
            <Text id={`reason-until-${k}`} className='muted'>
              {t(lang, 'reasonCountsUntil', { time: momentText(lang, r.until) })}
            </Text>
          </View>
        ))}
        <UntilWhen v={v} now={now} />
      </View>
      <Advice v={v} />
    </Frame>
  );
}
