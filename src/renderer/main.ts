import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { selectHost } from './host/select-host';
import { messageOf, useRecordingStore } from './stores/recording';
import { useUiStore } from './stores/ui';
import './styles/theme.css';
import './styles/base.css';
import App from './views/App.vue';

const app = createApp(App);
app.use(createPinia());
const ui = useUiStore();
// Nothing fails silently: unexpected errors become a visible notice, never a blank window.
app.config.errorHandler = (e) => ui.notify(`Internal error: ${messageOf(e)}`, 'error');
window.addEventListener('unhandledrejection', (e) =>
  ui.notify(`Internal error: ${messageOf(e.reason)}`, 'error'),
);
ui.watchSystemTheme(window);
app.mount('#app');
void useRecordingStore().attach(selectHost(window));
