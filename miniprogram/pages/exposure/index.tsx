import { Text, View } from '@tarojs/components';
import { t } from '../../i18n';
import { reasonText, statusHint, statusWord } from '../../ui/format';
import { useDevice } from '../../ui/store';

export default function Exposure() {
  const [v] = useDevice();
  const lang = v.lang;
  return (
    <View className='page'>
      <View className={`status status-${v.status}`}>
        <Text id='status'>{statusWord(lang, v.status)}</Text>
      </View>
      <Text className='hint'>{statusHint(lang, v.status)}</Text>
      <View className='card' id='reasons'>
        <Text className='reason'>{t(lang, 'exposureTitle')}</Text>
        {v.reasons.length === 0 && <Text className='muted'>{t(lang, 'noReasons')}</Text>}
        {v.reasons.map((r, k) => (
          <Text key={k} id={`reason-${k}`} className='reason'>{`${statusWord(lang, r.level)} · ${reasonText(lang, r)}`}</Text>
        ))}
      </View>
    </View>
  );
}
