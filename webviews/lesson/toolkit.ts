/**
 * The toolkit components the lesson page uses, and only those (bundled by esbuild.mjs to
 * dist/webviews/lessonToolkit.js, minified). The page script adds it after the lesson is on screen;
 * registering the components upgrades the buttons, tags and progress rings already in the page.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing, vsCodeTag } from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTag(), vsCodeProgressRing());
