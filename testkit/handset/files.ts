/**
 * Pictures and files: an off-screen 2D canvas (wx.createOffscreenCanvas, base library 2.16.1) drawn
 * by a real canvas the test gives, the mini-program's own files under wx.env.USER_DATA_PATH
 * (FileSystemManager.writeFile, readFile), the photo album (wx.saveImageToPhotosAlbum), and files
 * sent to a chat (wx.shareFileMessage, 2.16.1) or picked from one (wx.chooseMessageFile).
 */
import { utf8Decode, utf8Encode } from '../../shared/protocol/codec';
import type { WxApi, WxAuthorized, WxOffscreenCanvas } from '../../miniprogram/host/wechat/wx';
import { fail, type MakeApi } from './calls';

/** Where the simulated WeChat keeps the mini-program's own files (wx.env.USER_DATA_PATH). */
const USER_DATA_PATH = 'wxfile://usr';

/** A real 2D canvas of the given size (tests give @napi-rs/canvas). */
export type CanvasFactory = (width: number, height: number) => WxOffscreenCanvas;

/** A file in a chat: its name and bytes. */
export interface ChatFile {
  name: string;
  bytes: Uint8Array;
}

export interface FilesKnobs {
  readonly files: Map<string, Uint8Array>;
  /** Files the mini-program sent to a chat (wx.shareFileMessage), in order. */
  readonly sentToChat: ChatFile[];
  /** What the user picks at the next wx.chooseMessageFile (null or nothing left: the user cancels). */
  chatPicks: (ChatFile | null)[];
  readonly album: Uint8Array[];
  readonly appAuthorize: { album: WxAuthorized };
}

export function filesWx(
  phone: FilesKnobs,
  api: MakeApi,
  canvas?: CanvasFactory,
): Pick<
  WxApi,
  'env' | 'createOffscreenCanvas' | 'getFileSystemManager' | 'saveImageToPhotosAlbum' | 'shareFileMessage' | 'chooseMessageFile'
> {
  const part: Pick<
    WxApi,
    'env' | 'createOffscreenCanvas' | 'getFileSystemManager' | 'saveImageToPhotosAlbum' | 'shareFileMessage' | 'chooseMessageFile'
  > = {
    env: { USER_DATA_PATH: USER_DATA_PATH },
  };
  // Without a canvas this phone's base library predates 2.16.1: createOffscreenCanvas is absent
  // (and so is what a poster needs next to it)
  if (canvas) {
    // wx.createOffscreenCanvas (base library 2.16.1): the type must be given and kept
    part.createOffscreenCanvas = (o: { type: string; width: number; height: number }) => {
      if (o.type !== '2d') throw new Error('this simulation draws 2d canvases only');
      return canvas(o.width, o.height);
    };
    // FileSystemManager.writeFile: only under USER_DATA_PATH ("fail permission denied" elsewhere)
    part.getFileSystemManager = () => ({
      writeFile: api('writeFile', (o) => {
        const path = o.filePath as string;
        if (!path.startsWith(`${USER_DATA_PATH}/`)) throw fail('writeFile', `permission denied, open ${path}`);
        const data = o.data;
        phone.files.set(path, typeof data === 'string' ? utf8Encode(data) : new Uint8Array((data as ArrayBuffer).slice(0)));
      }),
      // FileSystemManager.readFile: the mini-program's own files and the temporary ones a chooser gave
      readFile: api('readFile', (o) => {
        const bytes = phone.files.get(o.filePath as string);
        if (!bytes) throw fail('readFile', `no such file or directory, open ${String(o.filePath)}`);
        return { data: o.encoding === 'utf8' ? utf8Decode(bytes) : bytes.slice().buffer };
      }),
    });
    // wx.shareFileMessage (2.16.1): a local file, sent to the chat the user picks
    part.shareFileMessage = api('shareFileMessage', (o) => {
      const bytes = phone.files.get(o.filePath as string);
      if (!bytes) throw fail('shareFileMessage', 'file not found');
      phone.sentToChat.push({ name: (o.fileName as string | undefined) ?? String(o.filePath).split('/').pop()!, bytes });
    });
    // wx.chooseMessageFile (2.5.0): a file from a chat, as a temporary file the mini-program may read
    part.chooseMessageFile = api('chooseMessageFile', () => {
      const f = phone.chatPicks.shift();
      if (!f) throw fail('chooseMessageFile', 'cancel');
      const path = `wxfile://tmp_${phone.files.size}_${f.name}`;
      phone.files.set(path, f.bytes);
      return { tempFiles: [{ path, size: f.bytes.length, name: f.name, type: 'file' }] };
    });
  }
  // wx.saveImageToPhotosAlbum: scope.writePhotosAlbum behind the privacy guide (api() checks both); a local path only
  part.saveImageToPhotosAlbum = api('saveImageToPhotosAlbum', (o) => {
    const bytes = phone.files.get(o.filePath as string);
    if (!bytes) throw fail('saveImageToPhotosAlbum', 'file not found');
    if (phone.appAuthorize.album === 'denied') throw fail('saveImageToPhotosAlbum', 'auth denied', { errno: 103 });
    phone.album.push(bytes);
  });
  return part;
}
