/**
 * UPnP device descriptions and SOAP control messages (UPnP Device Architecture 2.0 §2,
 * §3; IGD:1 WANIPConnection:1): what a router's miniupnpd or AVM stack serves and what
 * clients send it, and a media renderer's description for LAN control points.
 * @module
 */

export const IGD_ST = 'urn:schemas-upnp-org:device:InternetGatewayDevice:1';
export const WANIP_SERVICE = 'urn:schemas-upnp-org:service:WANIPConnection:1';
export const RENDERING_SERVICE = 'urn:schemas-upnp-org:service:RenderingControl:1';
const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP_ENC = 'http://schemas.xmlsoap.org/soap/encoding/';

export interface IgdIdentity {
  server: string;
  port: number;
  descPath: string;
  controlPath: string;
  friendlyName: string;
  manufacturer: string;
  modelName: string;
  uuid: string;
}

function service(type: string, id: string, control: string, scpd: string): string {
  return (
    `<service><serviceType>${type}</serviceType><serviceId>${id}</serviceId>` +
    `<controlURL>${control}</controlURL><eventSubURL>${control.replace('control', 'event').replace('/ctl/', '/evt/')}</eventSubURL>` +
    `<SCPDURL>${scpd}</SCPDURL></service>`
  );
}

/** The router's root description: IGD → WANDevice → WANConnectionDevice → WANIPConnection. */
export function igdDescription(g: IgdIdentity, gatewayIp: string): string {
  const dev = (type: string, name: string, inner: string): string =>
    `<device><deviceType>urn:schemas-upnp-org:device:${type}:1</deviceType>` +
    `<friendlyName>${name}</friendlyName><manufacturer>${g.manufacturer}</manufacturer>` +
    `<modelName>${g.modelName}</modelName><UDN>uuid:${g.uuid}</UDN>${inner}</device>`;
  const wanip = service(
    WANIP_SERVICE,
    'urn:upnp-org:serviceId:WANIPConn1',
    g.controlPath,
    '/WANIPCn.xml',
  );
  const common = service(
    'urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1',
    'urn:upnp-org:serviceId:WANCommonIFC1',
    g.controlPath.replace('IPConn', 'CmnIfCfg').replace('WANIPConn1', 'WANCommonIFC1'),
    '/WANCfg.xml',
  );
  const wcd = dev(
    'WANConnectionDevice',
    'WANConnectionDevice',
    `<serviceList>${wanip}</serviceList>`,
  );
  const wan = dev(
    'WANDevice',
    'WANDevice',
    `<serviceList>${common}</serviceList><deviceList>${wcd}</deviceList>`,
  );
  const root = dev(
    'InternetGatewayDevice',
    g.friendlyName,
    `<deviceList>${wan}</deviceList><presentationURL>http://${gatewayIp}/</presentationURL>`,
  );
  return (
    '<?xml version="1.0"?>\r\n<root xmlns="urn:schemas-upnp-org:device-1-0">' +
    `<specVersion><major>1</major><minor>0</minor></specVersion>${root}</root>\r\n`
  );
}

/** A media renderer's description (TVs, speakers) with RenderingControl and AVTransport. */
export function rendererDescription(
  friendlyName: string,
  manufacturer: string,
  modelName: string,
  uuid: string,
): string {
  const services =
    service(
      RENDERING_SERVICE,
      'urn:upnp-org:serviceId:RenderingControl',
      '/upnp/control/RenderingControl1',
      '/RenderingControl1.xml',
    ) +
    service(
      'urn:schemas-upnp-org:service:AVTransport:1',
      'urn:upnp-org:serviceId:AVTransport',
      '/upnp/control/AVTransport1',
      '/AVTransport1.xml',
    );
  return (
    '<?xml version="1.0" encoding="utf-8"?>\r\n<root xmlns="urn:schemas-upnp-org:device-1-0">' +
    '<specVersion><major>1</major><minor>0</minor></specVersion><device>' +
    '<deviceType>urn:schemas-upnp-org:device:MediaRenderer:1</deviceType>' +
    `<friendlyName>${friendlyName}</friendlyName><manufacturer>${manufacturer}</manufacturer>` +
    `<modelName>${modelName}</modelName><UDN>uuid:${uuid}</UDN>` +
    `<serviceList>${services}</serviceList></device></root>\r\n`
  );
}

function envelope(inner: string): string {
  return (
    `<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="${SOAP_ENV}" s:encodingStyle="${SOAP_ENC}">` +
    `<s:Body>${inner}</s:Body></s:Envelope>\r\n`
  );
}

/** A SOAP action request body: `<u:Action xmlns:u="service">` with its arguments in order. */
export function soapRequest(
  serviceType: string,
  action: string,
  args: readonly (readonly [string, string])[],
): string {
  let a = '';
  for (const [k, v] of args) a += `<${k}>${v}</${k}>`;
  return envelope(`<u:${action} xmlns:u="${serviceType}">${a}</u:${action}>`);
}

/** The `<u:ActionResponse>` body with output arguments (none for AddPortMapping). */
export function soapResponse(
  serviceType: string,
  action: string,
  args: readonly (readonly [string, string])[],
): string {
  if (args.length === 0) return envelope(`<u:${action}Response xmlns:u="${serviceType}"/>`);
  let a = '';
  for (const [k, v] of args) a += `<${k}>${v}</${k}>`;
  return envelope(`<u:${action}Response xmlns:u="${serviceType}">${a}</u:${action}Response>`);
}
