/**
 * The one device of the running mini-program, on the host of the platform this build is for, and
 * the hooks pages use to render its view. Pages call device actions; they never touch host APIs,
 * services or the network themselves.
 */
import { useEffect, useState } from 'react';
import { createDevice, type Device, type DeviceView } from '../device';
import { createHost } from '../host';

let device: Device | null = null;

function settings() {
  return {
    backend: (PRTC_BACKEND === 'cloud' ? 'cloud' : 'http') as 'http' | 'cloud',
    serverUrl: PRTC_SERVER_URL,
    publicKey: PRTC_PUBLIC_KEY,
  };
}

export function getDevice(): Device {
  device ??= createDevice(createHost(), settings());
  return device;
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
