/**
 * The one device of the running mini-program, on the WeChat host, and the hook pages use to render
 * its view. Pages call device methods; they never touch host APIs or the network themselves.
 */
import { useEffect, useState } from 'react';
import { createWechatHost } from './host/wechat';
import { Device, type DeviceView } from './services/device';
import { createVenueExtension, type Venues } from './services/venues';

let device: Device | null = null;
let venues: Venues | null = null;

function settings() {
  return {
    backend: (PRTC_BACKEND === 'cloud' ? 'cloud' : 'http') as 'http' | 'cloud',
    serverUrl: PRTC_SERVER_URL,
    publicKey: PRTC_PUBLIC_KEY,
  };
}

export function getDevice(): Device {
  if (!device) {
    const host = createWechatHost();
    const ext = createVenueExtension(host);
    device = new Device(host, settings(), ext.extension);
    venues = ext.venues;
    venues.attach(device);
  }
  return device;
}

export function getVenues(): Venues {
  getDevice();
  return venues!;
}

export function useDevice(): [DeviceView, Device] {
  const d = getDevice();
  const [view, setView] = useState(d.view);
  useEffect(() => {
    setView(d.view);
    return d.subscribe(setView);
  }, [d]);
  return [view, d];
}

/** Re-renders every `ms` (for ages and the 30-second health code). */
export function useTicker(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}
