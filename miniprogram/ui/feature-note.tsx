import { Text } from '@tarojs/components';
import type { DeviceView } from '../device';
import type { Feature } from '../host/features';
import { t } from '../i18n';

/** Says, where a feature would be, that this super-app cannot offer it and what that means (host/features.ts). */
export function FeatureNote({ v, feature }: { v: DeviceView; feature: Feature }) {
  if (v.features[feature]) return null;
  return (
    <Text id={`feature-off-${feature}`} className='info'>
      {t(v.lang, `featureOff_${feature}`)}
    </Text>
  );
}
