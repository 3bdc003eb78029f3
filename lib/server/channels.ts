// The app's channel kinds, as the server (and the test harness) registers them with the bus.
import { userChannel, userChannelKind } from "@/lib/realtime/user-channel";
import type { ChannelSetup } from "@/lib/bus/channel-kinds";
import { gameChannelKind, lobbyChannelKind } from "@/lib/games/channel-kinds";

export const appChannels: ChannelSetup = {
  kinds: [userChannelKind, gameChannelKind, lobbyChannelKind],
  personalChannel: userChannel,
};
