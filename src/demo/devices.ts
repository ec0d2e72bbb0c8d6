export interface Device {
  browser: string;
  operatingSystem: string;
  weight: number;
}

export interface App {
  appDisplayName: string;
  clientAppUsed: string;
  weight: number;
}

export const DESKTOPS: readonly Device[] = [
  { browser: 'Edge 131.0.0', operatingSystem: 'Windows 10', weight: 30 },
  { browser: 'Chrome 131.0.0', operatingSystem: 'Windows 10', weight: 25 },
  { browser: 'Edge 130.0.0', operatingSystem: 'Windows 10', weight: 10 },
  { browser: 'Chrome 131.0.0', operatingSystem: 'MacOs', weight: 12 },
  { browser: 'Safari 18.1', operatingSystem: 'MacOs', weight: 10 },
  { browser: 'Firefox 132.0', operatingSystem: 'Windows 10', weight: 8 },
  { browser: 'Chrome 130.0.0', operatingSystem: 'Linux', weight: 5 },
];

export const MOBILES: readonly Device[] = [
  { browser: 'Mobile Safari 18.1', operatingSystem: 'Ios', weight: 45 },
  { browser: 'Mobile Safari 17.6', operatingSystem: 'Ios', weight: 10 },
  { browser: 'Chrome Mobile 131.0.0', operatingSystem: 'Android', weight: 35 },
  { browser: 'Samsung Internet 26.0', operatingSystem: 'Android', weight: 10 },
];

const BROWSER = 'Browser';
const CLIENT_APPS = 'Mobile Apps and Desktop clients';

export const DESKTOP_APPS: readonly App[] = [
  { appDisplayName: 'Microsoft Teams', clientAppUsed: CLIENT_APPS, weight: 22 },
  { appDisplayName: 'Office 365 Exchange Online', clientAppUsed: BROWSER, weight: 14 },
  { appDisplayName: 'Microsoft Office', clientAppUsed: CLIENT_APPS, weight: 14 },
  { appDisplayName: 'Office 365 SharePoint Online', clientAppUsed: BROWSER, weight: 12 },
  { appDisplayName: 'Microsoft Office 365 Portal', clientAppUsed: BROWSER, weight: 8 },
  { appDisplayName: 'OneDrive SyncEngine', clientAppUsed: CLIENT_APPS, weight: 6 },
  { appDisplayName: 'Azure Portal', clientAppUsed: BROWSER, weight: 4 },
  { appDisplayName: 'Salesforce', clientAppUsed: BROWSER, weight: 4 },
  { appDisplayName: 'Workday', clientAppUsed: BROWSER, weight: 3 },
  { appDisplayName: 'My Apps', clientAppUsed: BROWSER, weight: 2 },
];

export const MOBILE_APPS: readonly App[] = [
  { appDisplayName: 'Outlook Mobile', clientAppUsed: CLIENT_APPS, weight: 30 },
  { appDisplayName: 'Microsoft Teams', clientAppUsed: CLIENT_APPS, weight: 25 },
  { appDisplayName: 'Microsoft Authenticator App', clientAppUsed: CLIENT_APPS, weight: 10 },
  { appDisplayName: 'Office 365 SharePoint Online', clientAppUsed: BROWSER, weight: 6 },
  { appDisplayName: 'Office 365 Exchange Online', clientAppUsed: 'Exchange ActiveSync', weight: 4 },
];

/** What Graph reports as the browser: the user agent's browser for web sign-ins, else the client. */
export function browserFor(app: App, device: Device): string {
  return app.clientAppUsed === BROWSER ? device.browser : 'Rich Client';
}
