// Build-time constants pinned by config/index.js (defineConstants).
declare const PRTC_SERVER_URL: string;
declare const PRTC_PUBLIC_KEY: string;
declare const PRTC_BACKEND: string;
declare const PRTC_CLOUD_ENV: string;
/** True in the WeChat plug-in build (npm run build:plugin): the host comes from host/plugin. */
declare const PRTC_PLUGIN: boolean;
