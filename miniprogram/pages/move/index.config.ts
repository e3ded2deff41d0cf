// the title is set at run time in the user's language (Frame → device.setTitle); this one shows until then.
export default definePageConfig({ navigationBarTitleText: '迁移手机', enablePageMeta: true });
