import { Menu } from 'electron';
import { menuTemplate, type MenuActions, type MenuModel } from './menu-template';

/**
 * The application menu, rebuilt from the model when what it shows changed (not on every
 * progress tick of a load).
 */
export class AppMenu {
  private shown: string | undefined;

  constructor(
    private readonly model: () => MenuModel,
    private readonly actions: MenuActions,
  ) {}

  refresh(): void {
    const model = this.model();
    const key = JSON.stringify(model);
    if (key === this.shown) return;
    this.shown = key;
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(model, this.actions)));
  }
}
