@_exported import AttuneCore
@_exported import PostureChannel
@_exported import TextChannel
@_exported import VoiceChannel
