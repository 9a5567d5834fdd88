using Ttp.Crypto.GlobalPlatform;

namespace Ttp.CardSimulator;

/// <summary>
/// A GlobalPlatform secure element at APDU level with its Issuer Security Domain selected: takes a command APDU and
/// answers the response APDU (data || SW1 SW2), as a card does (ISO/IEC 7816-4; GlobalPlatform Card Specification
/// 2.3.1, 11). One command at a time: callers on several threads are serialised.
/// </summary>
public sealed class SecureElement : IDisposable
{
    private const byte InsSelect = 0xA4;
    private const byte InsGetData = 0xCA;
    private const byte InsInitializeUpdate = 0x50;
    private const byte InsExternalAuthenticate = 0x82;
    private const byte InsPutKey = 0xD8;
    private const byte InsGetStatus = 0xF2;
    private const byte InsDelete = 0xE4;

    private readonly Lock gate = new();
    private readonly CardRandom random;
    private SecureChannel? channel;

    public SecureElement(CardProfile profile, CardRandom? random = null)
    {
        Card = new CardState(profile);
        this.random = random ?? CardRandoms.System;
    }

    /// <summary>The card's persistent state (key sets, counter).</summary>
    public CardState Card { get; }

    /// <summary>Whether a secure channel session is open (EXTERNAL AUTHENTICATE succeeded and nothing closed it).</summary>
    public bool IsAuthenticated => channel?.IsAuthenticated == true;

    /// <summary>Processes one command APDU and answers the response APDU.</summary>
    public byte[] Process(byte[] commandApdu)
    {
        ArgumentNullException.ThrowIfNull(commandApdu);
        lock (gate)
        {
            CommandApdu command;
            try
            {
                command = CommandApdu.Parse(commandApdu);
            }
            catch (CardException e)
            {
                return SecureChannel.Append([], e.Status);
            }

            var secured = command.IsSecured && command.Ins != InsExternalAuthenticate;
            try
            {
                var data = Dispatch(command, secured);
                return secured && channel is not null ? channel.Wrap(data, StatusWord.Success) : SecureChannel.Append(data, StatusWord.Success);
            }
            catch (CardException e)
            {
                if (e.Status == StatusWord.SecurityStatusNotSatisfied || e.Status == StatusWord.AuthenticationFailed)
                {
                    CloseChannel();
                }

                return secured && channel is not null ? channel.Wrap([], e.Status) : SecureChannel.Append([], e.Status);
            }
        }
    }

    public void Dispose()
    {
        CloseChannel();
        Card.Dispose();
    }

    private byte[] Dispatch(CommandApdu command, bool secured)
    {
        if (command.Cla is not (0x00 or 0x80 or 0x84))
        {
            throw new CardException(StatusWord.ClassNotSupported, "class not supported");
        }

        if (secured)
        {
            if (channel?.IsAuthenticated != true)
            {
                throw new CardException(StatusWord.SecurityStatusNotSatisfied, "secure messaging without a secure channel");
            }

            command = channel.Unwrap(command);
        }

        return command.Ins switch
        {
            InsSelect => Select(command),
            InsGetData => GetData(command),
            InsInitializeUpdate => InitializeUpdate(command),
            InsExternalAuthenticate => ExternalAuthenticate(command),
            InsPutKey => PutKeyProcessor.Process(Card, RequireSession(secured), command),
            InsGetStatus => Registry(secured, c => RegistryProcessor.GetStatus(Card, c), command),
            InsDelete => Registry(secured, c => RegistryProcessor.Delete(Card, c), command),
            _ => throw new CardException(StatusWord.InstructionNotSupported, "instruction not supported"),
        };
    }

    private byte[] Registry(bool secured, Func<CommandApdu, byte[]> process, CommandApdu command)
    {
        RequireSession(secured);
        return process(command);
    }

    // Commands that change or reveal card content need an open session and secure messaging (GP 2.3.1, 10.2.3):
    // without them the card answers 6982 and ends any session.
    private SecureChannel RequireSession(bool secured)
    {
        if (!secured && channel?.IsAuthenticated == true && channel.SecurityLevel == 0x00)
        {
            return channel;
        }

        if (!secured || channel?.IsAuthenticated != true)
        {
            throw new CardException(StatusWord.SecurityStatusNotSatisfied, "command needs a secure channel");
        }

        return channel;
    }

    private byte[] Select(CommandApdu command)
    {
        if (command.Cla != 0x00 || command.P1 != 0x04 || (command.P2 & ~0x0C) != 0)
        {
            throw new CardException(command.Cla != 0x00 ? StatusWord.ClassNotSupported : StatusWord.IncorrectP1P2, "only SELECT by name");
        }

        var aid = command.Data;
        if (aid.Length > 0 && (aid.Length < 5 || !Card.IsdAid.AsSpan().StartsWith(aid)))
        {
            throw new CardException(StatusWord.FileNotFound, "no application with that AID");
        }

        // Selecting the Security Domain ends its secure channel session (GP 2.3.1, 10.2.3).
        CloseChannel();
        return CardDataEncoder.SelectResponse(Card);
    }

    private byte[] GetData(CommandApdu command)
    {
        var tag = (command.P1 << 8) | command.P2;
        return CardDataEncoder.GetData(Card, tag)
            ?? throw new CardException(StatusWord.ReferencedDataNotFound, "no such data object");
    }

    private byte[] InitializeUpdate(CommandApdu command)
    {
        if (command.Cla != 0x80)
        {
            throw new CardException(StatusWord.ClassNotSupported, "INITIALIZE UPDATE is sent with CLA 80");
        }

        // A new INITIALIZE UPDATE ends the current session, whatever follows.
        CloseChannel();
        if (command.P2 != 0x00)
        {
            throw new CardException(StatusWord.IncorrectP1P2, "P2 must be 00");
        }

        var hostChallengeLength = Card.Scp == ScpVersion.Scp02 ? Scp02.HostChallengeLength : Scp03.ChallengeLength;
        if (command.Data.Length != hostChallengeLength)
        {
            throw new CardException(StatusWord.WrongLength, "the host challenge is 8 bytes");
        }

        var keySet = Card.FindKeySet(command.P1)
            ?? throw new CardException(StatusWord.ReferencedDataNotFound, "no key set with that key version number");
        if (Card.SequenceCounter > CardProfile.MaxCounter(Card.Scp))
        {
            throw new CardException(StatusWord.ConditionsNotSatisfied, "sequence counter exhausted");
        }

        channel = keySet.Scp == ScpVersion.Scp02
            ? new Scp02Channel(keySet, Card.Kdd, Card.SequenceCounter, command.Data, random)
            : new Scp03Channel(keySet, Card.Kdd, Card.SequenceCounter, command.Data, Card.IsdAid, random);
        Card.SequenceCounter++;
        return channel.InitializeUpdateResponse;
    }

    private byte[] ExternalAuthenticate(CommandApdu command)
    {
        if (channel is null || channel.IsAuthenticated)
        {
            throw new CardException(StatusWord.ConditionsNotSatisfied, "EXTERNAL AUTHENTICATE must follow INITIALIZE UPDATE");
        }

        try
        {
            channel.Authenticate(command);
        }
        catch (CardException)
        {
            CloseChannel();
            throw;
        }

        return [];
    }

    private void CloseChannel()
    {
        channel?.Dispose();
        channel = null;
    }
}
