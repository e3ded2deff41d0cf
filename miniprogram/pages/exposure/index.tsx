import { Text, View } from '@tarojs/components';
import { t } from '../../i18n';
import { Frame } from '../../ui/frame';
import { reasonText, statusHint, statusLabel, statusShape, statusWord } from '../../ui/format';
import { useDevice } from '../../ui/store';

export default function Exposure() {
  const [v, device] = useDevice();
  const lang = v.lang;
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
          <Text
            key={k}
            id={`reason-${k}`}
            className='reason'
          >{`${statusShape(r.level)} ${statusWord(lang, r.level)} · ${reasonText(lang, r)}`}</Text>
        ))}
      </View>
    </Frame>
  );
}
