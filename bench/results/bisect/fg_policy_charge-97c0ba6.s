0000000000000b20 <fg_policy_charge>:
     b20:	endbr64
     b24:	call   b29 <fg_policy_charge+0x9>
     b29:	push   %rbp
     b2a:	mov    %rsp,%rbp
     b2d:	push   %r15
     b2f:	mov    %rcx,%r15
     b32:	mov    $0x20,%ecx
     b37:	push   %r14
     b39:	push   %r13
     b3b:	mov    %rdi,%r13
     b3e:	push   %r12
     b40:	push   %rbx
     b41:	and    $0xfffffffffffffff0,%rsp
     b45:	sub    $0x150,%rsp
     b4c:	mov    %rdx,0x30(%rsp)
     b51:	lea    0x40(%rsp),%rdi
     b56:	mov    %sil,0x2f(%rsp)
     b5b:	mov    %gs:0x28,%rax
     b64:	mov    %rax,0x148(%rsp)
     b6c:	xor    %eax,%eax
     b6e:	movq   $0x0,0x38(%rsp)
     b77:	rep stos %rax,%es:(%rdi)
     b7a:	mov    0x100(%r13),%rax
     b81:	mov    0x60(%rax),%rax
     b85:	mov    %rax,0x18(%rsp)
     b8a:	mov    %gs:0x0(%rip),%rax        # b92 <fg_policy_charge+0x72>
     b92:	movq   $0x0,(%r15)
     b99:	add    $0x0,%rax
     b9f:	mov    %rax,0x10(%rsp)
