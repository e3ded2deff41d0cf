/** Every page in every state, in zh_HK, on the real build (tests/helpers/every-page.ts). */
import { checkLanguage } from '../helpers/language-suite';

checkLanguage('zh_HK');
