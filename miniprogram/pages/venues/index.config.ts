// the title is set at run time in the user's language (Frame → device.setTitle); this one shows until then.
// Sharing to a chat is on: the share button sends the venue's check-in link (device.venueShare).
export default definePageConfig({ navigationBarTitleText: '场所码', enablePageMeta: true, enableShareAppMessage: true });
