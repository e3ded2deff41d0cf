import { Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { Device } from '../device';
import { t, type Language } from '../i18n';

/**
 * Chooses a region (§15) the way people name where they live: a province first, then its city or
 * prefecture (a municipality is its own region: one tap). Never the phone's location.
 */
export function RegionPicker({
  device,
  lang,
  id,
  label = 'chooseProvince',
  onPick,
}: {
  device: Device;
  lang: Language;
  id: string;
  label?: 'chooseProvince' | 'addRegion';
  onPick: (code: number) => void;
}) {
  const provinces = device.regionProvinces();
  const [province, setProvince] = useState<number | null>(null);
  const regions = province === null ? [] : device.regionsOf(province);
  return (
    <View id={id}>
      <Picker
        id={`${id}-province`}
        mode='selector'
        range={provinces.map((p) => p.name)}
        onChange={(e) => {
          const p = provinces[Number(e.detail.value)];
          if (!p) return;
          const own = device.regionsOf(p.code);
          if (own.length === 1) {
            setProvince(null);
            onPick(own[0].code);
          } else setProvince(p.code);
        }}
      >
        <Text className='link'>{t(lang, label)}</Text>
      </Picker>
      {regions.length > 1 && (
        <Picker
          id={`${id}-region`}
          mode='selector'
          range={regions.map((r) => r.name)}
          onChange={(e) => {
            const r = regions[Number(e.detail.value)];
            if (!r) return;
            setProvince(null);
            onPick(r.code);
          }}
        >
          <Text className='link'>{t(lang, 'chooseRegion')}</Text>
        </Picker>
      )}
    </View>
  );
}
