@_exported import AttuneCore
@_exported import TextChannel
@_exported import VoiceChannel
@_exported import PostureChannel
