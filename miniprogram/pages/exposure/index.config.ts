// the title is set at run time in the user's language (Frame → device.setTitle); this one shows until then
export default definePageConfig({ navigationBarTitleText: '接触详情', enablePageMeta: true });
