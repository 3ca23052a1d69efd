// Entry of the chat webview bundle (dist/webview.js and dist/webview.css).
import { render } from 'preact';
import '../media/webview.css';
import { App } from './components/App';
import { listenForFonts } from './fonts';
import { isLocale } from './i18n';
import { ChatStore } from './store';
import { connectHost } from './vscodeApi';
import { warmUpWhileIdle } from './warmUp';

const host = connectHost();
const lang = document.documentElement.lang;
const store = new ChatStore(host, isLocale(lang) ? lang : 'en');

// Messages from the host arrive as window message events; the store checks them and drops the unknown.
window.addEventListener('message', (event: MessageEvent<unknown>) => store.receive(event.data));

listenForFonts(window, document.documentElement);

const root = document.getElementById('root');
if (root) render(<App store={store} />, root);
host.post({ type: 'ready' });
warmUpWhileIdle();
