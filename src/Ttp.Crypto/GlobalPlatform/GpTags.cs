namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The tags of the GlobalPlatform data objects this product reads from a card (GET DATA, SELECT and GET STATUS
/// responses), as big-endian numbers, with their names (GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA,
/// 11.1 and annex H Card Data). Some tags mean different things in different places: <c>66</c> at the top level is
/// Card Data, but inside Card Recognition Data (<c>73</c>) it is the card/chip details; <c>60</c>..<c>68</c> inside
/// <c>73</c> are [APPLICATION n] wrappers around one OID. <see cref="Lookup"/> therefore takes the parent tag.
/// </summary>
public static class GpTags
{
    /// <summary><c>06</c>: an OBJECT IDENTIFIER (ISO/IEC 8825-1 8.19).</summary>
    public const int ObjectIdentifier = 0x06;

    /// <summary><c>42</c>: Issuer Identification Number (GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA).</summary>
    public const int IssuerIdentificationNumber = 0x42;

    /// <summary><c>45</c>: Card Image Number (GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA).</summary>
    public const int CardImageNumber = 0x45;

    /// <summary><c>5F50</c>: Security Domain Manager URL (GlobalPlatform Card Specification 2.3.1, 7.4.2.4; formerly Amendment C).</summary>
    public const int SecurityDomainManagerUrl = 0x5F50;

    /// <summary><c>66</c> at the top level: Card Data, wrapping Card Recognition Data (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int CardData = 0x66;

    /// <summary><c>67</c> at the top level: Card Capability Information (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int CardCapabilityInformation = 0x67;

    /// <summary><c>73</c>: Card Recognition Data, a list of OIDs (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int CardRecognitionData = 0x73;

    /// <summary><c>60</c> inside <c>73</c>: card management type and version, OID {globalPlatform 2 v} (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int CardManagementTypeAndVersion = 0x60;

    /// <summary><c>63</c> inside <c>73</c>: card identification scheme, e.g. OID {globalPlatform 3} (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int CardIdentificationScheme = 0x63;

    /// <summary><c>64</c> inside <c>73</c>: secure channel protocol of the ISD and its option, OID {globalPlatform 4 scp i} (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int SecureChannelProtocol = 0x64;

    /// <summary><c>65</c> inside <c>73</c>: card configuration details, an OID (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int CardConfigurationDetails = 0x65;

    /// <summary><c>66</c> inside <c>73</c>: card / chip details, an OID (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int CardChipDetails = 0x66;

    /// <summary><c>67</c> inside <c>73</c>: Issuer Security Domain's trust point certificate information, an OID (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int IssuerSecurityDomainTrustPointCertificateInformation = 0x67;

    /// <summary><c>68</c> inside <c>73</c>: Issuer Security Domain certificate information, an OID (GlobalPlatform Card Specification 2.3.1, annex H).</summary>
    public const int IssuerSecurityDomainCertificateInformation = 0x68;

    /// <summary><c>C0</c>: Key Information Data, one key (GlobalPlatform Card Specification 2.3.1, 11.3.3.1).</summary>
    public const int KeyInformationData = 0xC0;

    /// <summary><c>C1</c>: Sequence Counter of the default key version number, 2 bytes in SCP02, 3 in SCP03 (11.3 GET DATA).</summary>
    public const int SequenceCounter = 0xC1;

    /// <summary><c>C2</c>: Confirmation Counter (GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA).</summary>
    public const int ConfirmationCounter = 0xC2;

    /// <summary><c>CF</c>: Key Diversification Data, 10 bytes (GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA; EMV CPS 1.1).</summary>
    public const int KeyDiversificationData = 0xCF;

    /// <summary><c>D3</c>: Current Security Level (GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA).</summary>
    public const int CurrentSecurityLevel = 0xD3;

    /// <summary><c>E0</c>: Key Information Template (GlobalPlatform Card Specification 2.3.1, 11.3.3.1).</summary>
    public const int KeyInformationTemplate = 0xE0;

    /// <summary><c>9F7F</c>: Card Production Life Cycle data (CPLC).</summary>
    public const int Cplc = 0x9F7F;

    /// <summary><c>2F00</c>: list of applications of the Security Domain (GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA).</summary>
    public const int ListOfApplications = 0x2F00;

    /// <summary><c>FF21</c>: Extended Card Resources Information (ETSI TS 102 226, 8.2.1.7.2).</summary>
    public const int ExtendedCardResourcesInformation = 0xFF21;

    private static readonly Dictionary<int, GpTagInfo> TopLevel = new()
    {
        [ObjectIdentifier] = new("Object Identifier", "an OBJECT IDENTIFIER (ISO/IEC 8825-1 8.19)"),
        [IssuerIdentificationNumber] = new("Issuer Identification Number", "identifies the card issuer (GET DATA 0042)"),
        [CardImageNumber] = new("Card Image Number", "identifies the card within the issuer's cards (GET DATA 0045)"),
        [SecurityDomainManagerUrl] = new("Security Domain Manager URL", "URL of the entity managing the Security Domain (GP 2.3.1 7.4.2.4)"),
        [CardData] = new("Card Data", "wraps the Card Recognition Data (GP 2.3.1 annex H, GET DATA 0066)"),
        [CardCapabilityInformation] = new("Card Capability Information", "secure channel options, privileges and algorithms the card supports (GP 2.3.1 annex H, GET DATA 0067)"),
        [CardRecognitionData] = new("Card Recognition Data", "OIDs naming the GlobalPlatform version, identification scheme and secure channel protocol (GP 2.3.1 annex H)"),
        [KeyInformationData] = new("Key Information Data", "key id, key version number, key type(s) and length(s) of one key (GP 2.3.1 11.3.3.1)"),
        [SequenceCounter] = new("Sequence Counter", "sequence counter of the default key version number: 2 bytes in SCP02, 3 in SCP03 (GET DATA 00C1)"),
        [ConfirmationCounter] = new("Confirmation Counter", "counter of delegated management receipts (GET DATA 00C2)"),
        [KeyDiversificationData] = new("Key Diversification Data", "10 bytes, KMC ID (6) and CSN (4) in EMV CPS 1.1; input to card key diversification (GET DATA 00CF)"),
        [CurrentSecurityLevel] = new("Current Security Level", "security level of the current secure channel session (GET DATA 00D3)"),
        [KeyInformationTemplate] = new("Key Information Template", "one C0 Key Information Data per key of the Security Domain (GP 2.3.1 11.3.3.1, GET DATA 00E0)"),
        [Cplc] = new("Card Production Life Cycle Data", "CPLC: IC fabricator, type, OS, dates and serial numbers (GET DATA 9F7F)"),
        [ListOfApplications] = new("List of Applications", "applications of the Security Domain (GET DATA 2F00)"),
        [ExtendedCardResourcesInformation] = new("Extended Card Resources Information", "installed applications and free memory (ETSI TS 102 226 8.2.1.7.2, GET DATA FF21)"),
        [0x6F] = new("File Control Information", "FCI template of a SELECT response (ISO/IEC 7816-4; GP 2.3.1 11.9 SELECT)"),
        [0x84] = new("Dedicated File Name", "AID of the selected application or Security Domain (ISO/IEC 7816-4; GP 2.3.1 11.9 SELECT)"),
        [0xA5] = new("FCI Proprietary Data", "proprietary data of a SELECT response (GP 2.3.1 11.9 SELECT)"),
        [0x9F65] = new("Maximum Length of Data Field", "maximum length of the data field in a command message (GP 2.3.1 11.9 SELECT)"),
        [0x9F6E] = new("Application Production Life Cycle Data", "application production life cycle data (GP 2.3.1 11.9 SELECT)"),
        [0xE3] = new("GlobalPlatform Registry Entry", "one registry entry of a GET STATUS response (GP 2.3.1 11.4 GET STATUS)"),
        [0x4F] = new("Application Identifier", "AID (ISO/IEC 7816-4)"),
        [0x9F70] = new("Life Cycle State", "life cycle state of the registry entry (GP 2.3.1 11.4 GET STATUS)"),
        [0xC5] = new("Privileges", "privileges of the registry entry (GP 2.3.1 11.4 GET STATUS)"),
    };

    private static readonly Dictionary<int, GpTagInfo> InsideCardRecognitionData = new()
    {
        [ObjectIdentifier] = new("Object Identifier", "{globalPlatform 1} (1.2.840.114283.1) marks GlobalPlatform card recognition data (GP 2.3.1 annex H)"),
        [CardManagementTypeAndVersion] = new("Card Management Type and Version", "OID {globalPlatform 2 v}: the GlobalPlatform version (GP 2.3.1 annex H)"),
        [CardIdentificationScheme] = new("Card Identification Scheme", "OID of the scheme identifying the card, e.g. {globalPlatform 3} (GP 2.3.1 annex H)"),
        [SecureChannelProtocol] = new("Secure Channel Protocol", "OID {globalPlatform 4 scp i}: the ISD's secure channel protocol and option i (GP 2.3.1 annex H)"),
        [CardConfigurationDetails] = new("Card Configuration Details", "OID naming card configuration details (GP 2.3.1 annex H)"),
        [CardChipDetails] = new("Card / Chip Details", "OID naming card and chip details (GP 2.3.1 annex H)"),
        [IssuerSecurityDomainTrustPointCertificateInformation] = new("ISD Trust Point Certificate Information", "OID of the Issuer Security Domain's trust point certificate information (GP 2.3.1 annex H)"),
        [IssuerSecurityDomainCertificateInformation] = new("ISD Certificate Information", "OID of the Issuer Security Domain certificate information (GP 2.3.1 annex H)"),
    };

    private static readonly Dictionary<int, GpTagInfo> InsideRegistryEntry = new()
    {
        [0x84] = new("Executable Module AID", "AID of an executable module of the load file (GP 2.3.1 11.4 GET STATUS)"),
        [0xC4] = new("Executable Load File AID", "AID of the application's executable load file (GP 2.3.1 11.4 GET STATUS)"),
        [0xCC] = new("Associated Security Domain AID", "AID of the associated Security Domain (GP 2.3.1 11.4 GET STATUS)"),
        [0xCE] = new("Executable Load File Version Number", "version of the executable load file (GP 2.3.1 11.4 GET STATUS)"),
    };

    /// <summary>
    /// What <paramref name="tag"/> is called and holds, given the tag of the data object it was found in
    /// (<see langword="null"/> at the top level); <see langword="null"/> for a tag this product does not know there.
    /// </summary>
    /// <param name="tag">The tag, as a big-endian number.</param>
    /// <param name="parentTag">The tag of the enclosing constructed object, or <see langword="null"/> at the top level.</param>
    public static GpTagInfo? Lookup(int tag, int? parentTag = null)
    {
        var context = parentTag switch
        {
            CardRecognitionData => InsideCardRecognitionData,
            0xE3 => InsideRegistryEntry,
            _ => null,
        };

        if (context is not null && context.TryGetValue(tag, out var inContext))
        {
            return inContext;
        }

        // Inside Card Recognition Data every element is an [APPLICATION n] wrapper: the top-level meanings of 60..7E do not apply.
        if (parentTag == CardRecognitionData)
        {
            return null;
        }

        return TopLevel.GetValueOrDefault(tag);
    }

    /// <summary>The name of <paramref name="tag"/> in its context (see <see cref="Lookup"/>), or <see langword="null"/>.</summary>
    /// <param name="tag">The tag, as a big-endian number.</param>
    /// <param name="parentTag">The tag of the enclosing constructed object, or <see langword="null"/> at the top level.</param>
    public static string? NameOf(int tag, int? parentTag = null) => Lookup(tag, parentTag)?.Name;
}
