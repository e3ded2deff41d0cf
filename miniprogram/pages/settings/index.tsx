import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { t } from '../../i18n';
import { FeatureNote } from '../../ui/feature-note';
import { Frame } from '../../ui/frame';
import { PrivacyPopup, ProblemCard } from '../../ui/privacy-popup';
import { useDevice } from '../../ui/store';

export default function Settings() {
  const [v, device] = useDevice();
  const lang = v.lang;
  const [confirmReset, setConfirmReset] = useState(false);
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
        <Text className='muted'>{t(lang, 'foregroundOnly')}</Text>
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
      <View className='card'>
        <Text id='key-source' className='muted'>
          {keyText}
        </Text>
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
      {v.message && (
        <Text id='message' className={v.message.kind === 'error' ? 'error' : 'info'} aria-live='polite'>
          {v.message.text}
        </Text>
      )}
    </Frame>
  );
}
