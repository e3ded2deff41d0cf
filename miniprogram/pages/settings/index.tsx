import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { t } from '../../i18n';
import { BackgroundCard } from '../../ui/background';
import { configRefusedText } from '../../i18n/messages';
import { FeatureNote } from '../../ui/feature-note';
import { Frame } from '../../ui/frame';
import { PrivacyPopup, ProblemCard } from '../../ui/privacy-popup';
import { RegionPicker } from '../../ui/region-picker';
import { sizeText } from '../../ui/format';
import { useDevice } from '../../ui/store';

export default function Settings() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [confirmReset, setConfirmReset] = useState(false);
  // a refused configuration is said once, beside the configuration in force (not again as the page's message)
  const refusal = v.configRefused ? configRefusedText(lang, v.configRefused, v.configSerial) : null;
  const keyText =
    v.keySource === 'build' ? t(lang, 'keyFromBuild') : v.keySource === 'server' ? t(lang, 'keyFromServer') : t(lang, 'keyNone');
  return (
    <Frame device={device} page='settings'>
      <PrivacyPopup v={v} device={device} />
      <View className='card'>
        <Text className='reason'>{t(lang, 'privacyTitle')}</Text>
        <Text id='privacy' className='muted'>
          {t(lang, 'privacyText')}
        </Text>
        {!v.background.running && <Text className='muted'>{t(lang, 'foregroundOnly')}</Text>}
        <Button
          id='consent'
          onClick={() => {
            void device.setConsent(!v.consent);
          }}
        >
          {v.consent ? t(lang, 'withdrawConsent') : t(lang, 'consent')}
        </Button>
        {v.consent && (
          <Text id='consent-state' className='info'>
            {t(lang, 'consentGiven')}
          </Text>
        )}
      </View>
      <View className='card'>
        <Text id='tracing-state'>{v.tracing ? t(lang, v.broadcasting ? 'tracingOn' : 'listeningOnly') : t(lang, 'tracingOff')}</Text>
        <FeatureNote v={v} feature='beacon' />
        <FeatureNote v={v} feature='listen' />
        <Button
          id='tracing'
          onClick={() => {
            void (v.tracing ? device.stopTracing() : device.startTracing());
          }}
        >
          {v.tracing ? t(lang, 'stopTracing') : t(lang, 'startTracing')}
        </Button>
        <ProblemCard v={v} device={device} />
      </View>
      <BackgroundCard v={v} device={device} />
      {/* regions (issue 30, §15): the home region, the regions followed and what they cost a day */}
      <View className='card' id='regions'>
        <Text className='reason'>{t(lang, 'regionsTitle')}</Text>
        <Text className='muted'>{t(lang, 'regionsIntro')}</Text>
        <Text id='home-region'>{v.homeRegion ? t(lang, 'homeRegion', { region: v.homeRegion.name }) : t(lang, 'homeRegionNone')}</Text>
        {!v.homeRegion && (
          <Text id='home-region-why' className='info'>
            {t(lang, 'homeRegionWhy')}
          </Text>
        )}
        <RegionPicker
          device={device}
          lang={lang}
          id='home-picker'
          onPick={(code) => {
            void device.setHomeRegion(code);
          }}
        />
        <Text className='muted'>{t(lang, 'regionsFollowed')}</Text>
        <View id='followed'>
          {v.followedRegions.map((r) => (
            <Text key={r.code} id={`followed-${r.code}`} className='muted'>
              {r.bytesPerDay === null
                ? t(lang, 'regionCostUnknown', { region: r.name })
                : t(lang, 'regionCost', { region: r.name, size: sizeText(lang, r.bytesPerDay) })}
            </Text>
          ))}
        </View>
        {v.followedRegions.length > 1 && v.followedRegions.every((r) => r.bytesPerDay !== null) && (
          <Text id='regions-total'>
            {t(lang, 'regionsTotal', {
              size: sizeText(
                lang,
                v.followedRegions.reduce((sum, r) => sum + (r.bytesPerDay ?? 0), 0),
              ),
            })}
          </Text>
        )}
      </View>
      <View className='card'>
        <Text className='muted'>{t(lang, 'venueCodeIntro')}</Text>
        <Button
          id='go-venues'
          onClick={() => {
            void device.navigate('venues');
          }}
        >
          {t(lang, 'venueCodeTitle')}
        </Button>
      </View>
      {/* moving to a new phone, or from an old one (issue 32, §17) */}
      <View className='card'>
        <Text className='muted'>{t(lang, 'moveIntro')}</Text>
        <Button
          id='go-move'
          onClick={() => {
            void device.navigate('move');
          }}
        >
          {t(lang, 'moveSettings')}
        </Button>
      </View>
      <View className='card'>
        <Text id='key-source' className='muted'>
          {keyText}
        </Text>
        {/* the signed configuration in force (issue 29): its version, and a refused one */}
        <Text id='config-version' className='muted'>
          {v.configSerial > 0 ? t(lang, 'configVersion', { serial: v.configSerial }) : t(lang, 'configBuiltIn')}
        </Text>
        {refusal && (
          <Text id='config-refused' className='error'>
            {refusal}
          </Text>
        )}
        {v.matchedBy && (
          <Text id='matched-by' className='muted'>
            {t(lang, v.matchedBy.where === 'worker' ? 'matchedInWorker' : 'matchedOnPage', {
              engine: t(lang, `engine_${v.matchedBy.engine}`),
            })}
          </Text>
        )}
      </View>
      <Button
        id='reset'
        type='warn'
        onClick={() => {
          if (!confirmReset) {
            setConfirmReset(true);
            return;
          }
          setConfirmReset(false);
          void device.reset();
        }}
      >
        {confirmReset ? t(lang, 'deleteAllConfirm') : t(lang, 'deleteAll')}
      </Button>
      {v.message && v.message.text !== refusal && (
        <Text id='message' className={v.message.kind === 'error' ? 'error' : 'info'} aria-live='polite'>
          {v.message.text}
        </Text>
      )}
    </Frame>
  );
}
