// A postcss plug-in for the H5 build only (config/index.js, h5.postcss): WeChat styles the page's
// root as the element `page` (app.css: its background and text colour, light and dark); Taro's H5
// router renders each page as `.taro_router > .taro_page` (with a white background of its own) and
// leaves the selector `page` matching nothing. This makes app.css's `page` rules that element's,
// one step more specific than the router's own, so the dark theme's background shows in a browser.
const PAGE = /(^|[\s,>+~(])page(?=$|[\s,.:[>+~)])/g;

module.exports = () => ({
  postcssPlugin: 'prtc-h5-page',
  Rule(rule) {
    rule.selector = rule.selector.replace(PAGE, '$1body .taro_router > .taro_page');
  },
});
module.exports.postcss = true;
